// The ledger upload: sends the chosen file as the request body (no multipart), with the
// page's CSRF token, and shows the server's answer (an HTML fragment it escaped) below.
(function () {
  var form = document.getElementById('upload');
  if (!form) return;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var file = document.getElementById('ledger-file').files[0];
    var out = document.getElementById('upload-result');
    if (!file) return;
    out.textContent = '正在上传并检查 ' + file.name + ' …';
    fetch('/ledger/upload', {
      method: 'POST', body: file, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': form.dataset.csrf,
                 'X-File-Name': encodeURIComponent(file.name),
                 'X-Reason': encodeURIComponent(document.getElementById('reason').value) }
    }).then(function (r) { return r.text(); })
      .then(function (html) { out.innerHTML = html; })
      .catch(function (err) { out.textContent = '上传失败：' + err; });
  });
})();
