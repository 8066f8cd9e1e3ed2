"""One module per page: its page function and the State only it uses."""
