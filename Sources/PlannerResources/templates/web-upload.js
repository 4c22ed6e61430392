// Uploads: each form of class "upload" sends its chosen file as the request body (no
// multipart) to its data-url, with the page's CSRF token and the file's name in headers, and
// shows the server's answer (an HTML fragment the server escaped) in its data-result element.
(function () {
  document.querySelectorAll('form.upload').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var input = form.querySelector('input[type=file]');
      var file = input && input.files[0];
      var out = document.getElementById(form.dataset.result);
      if (!file) return;
      out.textContent = '正在上传并检查 ' + file.name + ' …';
      var reason = form.querySelector('.reason');
      var headers = { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': form.dataset.csrf,
                      'X-File-Name': encodeURIComponent(file.name) };
      if (form.dataset.kind) headers['X-Kind'] = form.dataset.kind;
      if (reason) headers['X-Reason'] = encodeURIComponent(reason.value);
      fetch(form.dataset.url, { method: 'POST', body: file, credentials: 'same-origin', headers: headers })
        .then(function (r) { return r.text(); })
        .then(function (html) { out.innerHTML = html; })
        .catch(function (err) { out.textContent = '上传失败：' + err; });
    });
  });
})();
