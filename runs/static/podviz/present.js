// The presenter link is /runs/<id>/present#<secret>: browsers never send a fragment, so the
// secret reaches the server only in this form's POST body, never in a URL a log could keep.
const form = document.getElementById("present-form");
const secret = decodeURIComponent(location.hash.slice(1));
if (form && secret) {
  history.replaceState(null, "", location.pathname); // out of the history and the address bar
  form.elements.secret.value = secret;
  form.submit();
}
