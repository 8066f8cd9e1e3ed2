"""The browser's side of states/browser.py: every action the app may ask of the
browser, as code compiled into the build (the CSP allows no script sent at run time).
"""

from __future__ import annotations

# The actions by name; each returns (or resolves to) the reply, a string.
_PERFORM = """async (request) => {
  const notifications = "Notification" in window;
  const passkey = async () => {
    const bytes = (text) =>
      Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    const options = JSON.parse(request.options);
    options.challenge = bytes(options.challenge);
    if (options.user) options.user.id = bytes(options.user.id);
    for (const list of [options.excludeCredentials, options.allowCredentials]) {
      for (const descriptor of list || []) descriptor.id = bytes(descriptor.id);
    }
    // One ceremony at a time: pressing the button ends the email field's autofill one.
    window.__sessionPasskey?.abort();
    const controller = new AbortController();
    window.__sessionPasskey = controller;
    const create = request.action === "passkey-create";
    try {
      const credential = create
        ? await navigator.credentials.create({publicKey: options, signal: controller.signal})
        : await navigator.credentials.get({
            publicKey: options, signal: controller.signal, mediation: request.mediation || "optional",
          });
      const r = credential.response;
      const answer = {
        id: credential.id, rawId: text(credential.rawId), type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {clientDataJSON: text(r.clientDataJSON)},
      };
      if (create) {
        answer.response.attestationObject = text(r.attestationObject);
        answer.response.transports = r.getTransports ? r.getTransports() : [];
      } else {
        answer.response.authenticatorData = text(r.authenticatorData);
        answer.response.signature = text(r.signature);
        answer.response.userHandle = r.userHandle ? text(r.userHandle) : null;
      }
      return JSON.stringify(answer);
    } catch (error) {
      return JSON.stringify({error: (error && error.name) || "Error"});
    } finally {
      if (window.__sessionPasskey === controller) window.__sessionPasskey = null;
    }
  };
  switch (request.action) {
    case "passkey-support": {
      if (!window.PublicKeyCredential || !navigator.credentials) return "none";
      try {
        if (await PublicKeyCredential.isConditionalMediationAvailable?.()) return "conditional";
      } catch (error) { /* modal only */ }
      return "modal";
    }
    case "passkey-create":
    case "passkey-get":
      return await passkey();
    case "passkey-forget":
      // The server no longer knows this passkey: the browser may stop offering it.
      await window.PublicKeyCredential?.signalUnknownCredential?.({
        rpId: request.rp_id, credentialId: request.credential_id,
      });
      return "";
    case "leave":
      if (request.replace === "1") window.location.replace(request.url);
      else window.location.assign(request.url);
      return "";
    case "toast": {
      const options = {};
      if (request.id) options.id = request.id;
      if (request.duration) options.duration = Number(request.duration);
      if (request.position) options.position = request.position;
      const toast = TOAST_REF;
      if (!toast) return "";
      (request.level ? toast[request.level] : toast)(request.text, options);
      return "";
    }
    case "copy":
      await navigator.clipboard.writeText(request.text);
      return "";
    case "time-zone":
      return Intl.DateTimeFormat().resolvedOptions().timeZone;
    case "notification-permission":
      return notifications ? Notification.permission : "unsupported";
    case "ask-notification-permission":
      if (!notifications) return "unsupported";
      if (Notification.permission !== "default") return Notification.permission;
      return await Notification.requestPermission();
    case "notify": {
      if (!notifications || Notification.permission !== "granted") return "";
      const note = new Notification("Session", {body: request.text, tag: request.path});
      note.onclick = () => { window.focus(); window.open(request.path, "_self"); note.close(); };
      return "";
    }
    case "test-notification": {
      const body = "Notifications are on. You'll hear when someone is waiting in your room.";
      const note = new Notification("Session", {body, tag: "session-test"});
      window.__sessionLastNotification = note.title + ": " + note.body;
      note.onclick = () => { window.focus(); note.close(); };
      return "";
    }
  }
  return "";
}"""

# Requests already carried out in this tab, so a reload or a reconnect (which sends
# the state again) never repeats one.
DONE_KEY = "session-browser-done"


def actions_effect(requests: str, reply: str, toast: str) -> str:
    """A React effect that carries out each new request in `requests` once and sends
    its answer through `reply(id, value)` when the request names a handler; `toast`
    is the page's toaster."""
    perform = _PERFORM.replace("TOAST_REF", toast)
    return f"""useEffect(() => {{
  const perform = {perform};
  const done = JSON.parse(sessionStorage.getItem("{DONE_KEY}") || "[]");
  for (const request of {requests}) {{
    if (done.includes(request.id)) continue;
    done.push(request.id);
    sessionStorage.setItem("{DONE_KEY}", JSON.stringify(done.slice(-50)));
    perform(request).then(
      (value) => {{ if (request.reply) {reply}(request.id, String(value ?? "")); }},
      (error) => console.warn("browser action", request.action, error),
    );
  }}
}}, [{requests}]);"""
