// Opened from disk (file://), the browser refuses the app's module scripts and the page
// would stay blank: say so, in both languages, with what to do. A classic script, so
// that it runs where modules do not.
(function () {
  if (location.protocol !== "file:") return;
  var show = function () {
    var app = document.getElementById("app") || document.getElementById("workbench") || document.body;
    app.innerHTML =
      '<div class="app-offline" role="alert">' +
      "<h2>Trang này cần được mở qua một máy chủ web</h2>" +
      "<p>Trình duyệt không chạy ứng dụng khi trang được mở trực tiếp từ ổ đĩa (địa chỉ bắt đầu bằng file://). " +
      "Trong thư mục chứa ấn phẩm, hãy chạy lệnh <code>python3 -m http.server 8000</code>, " +
      "rồi mở <code>http://localhost:8000/app/</code>. Các trang xếp hạng của ấn phẩm vẫn xem được từ ổ đĩa.</p>" +
      '<div lang="en"><h2>This page must be opened through a web server</h2>' +
      "<p>Browsers do not run the app from a page opened straight from disk (an address starting with file://). " +
      "In the publication's folder run <code>python3 -m http.server 8000</code>, then open " +
      "<code>http://localhost:8000/app/</code>. The publication's ranking pages do open from disk.</p></div>" +
      "</div>";
    document.documentElement.dataset.offline = "true";
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
