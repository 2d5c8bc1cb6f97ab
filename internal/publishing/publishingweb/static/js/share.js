// Share links, enhanced: a button that copies the page's address, and the
// device's own share sheet where the browser offers one. Without them the
// address stays in its read-only field and the plain links work.
(function () {
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = button.parentNode.querySelector('[data-copied]');
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = button.getAttribute('data-done');
      });
    });
  });
  document.querySelectorAll('[data-share-url]').forEach(function (button) {
    if (!navigator.share) {
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.share({
        title: button.getAttribute('data-share-title'),
        url: button.getAttribute('data-share-url')
      }).catch(function () {});
    });
  });
})();
