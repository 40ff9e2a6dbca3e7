// Check-in page: a "Scan QR" button where the browser can read QR codes from the camera
// (BarcodeDetector + getUserMedia). It fills in the code form and submits it, exactly as typing
// the code does; without this file, or without camera support, staff type the code.
(function () {
  "use strict";
  var form = document.querySelector("[data-checkin-code-form]");
  var button = document.querySelector("[data-checkin-scan]");
  var scanner = document.querySelector("[data-checkin-scanner]");
  if (!form || !button || !scanner) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  var input = form.querySelector("input[name='code']");
  var video = scanner.querySelector("video");
  var status = scanner.querySelector("[data-checkin-scan-status]");
  var stopButton = scanner.querySelector("[data-checkin-scan-stop]");
  var detector = null;
  var stream = null;
  var timer = null;

  // A ticket's QR holds the check-in page's address with ?code=...; a bare code works too.
  function codeFrom(value) {
    try {
      var code = new URL(value).searchParams.get("code");
      if (code) return code;
    } catch (error) { /* not an address: the code itself */ }
    return value.trim();
  }

  function stop() {
    window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    scanner.hidden = true;
    button.hidden = false;
  }

  function look() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      if (!stream) return;
      if (codes.length && codes[0].rawValue) {
        input.value = codeFrom(codes[0].rawValue);
        status.textContent = "Read " + input.value + ": checking in…";
        stop();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        return;
      }
      timer = window.setTimeout(look, 200);
    }).catch(function () {
      timer = window.setTimeout(look, 400);
    });
  }

  function start() {
    status.textContent = "Point the camera at the QR code on the member's phone.";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        stopButton.hidden = false;
        scanner.hidden = false;
        button.hidden = true;
        return video.play();
      })
      .then(look)
      .catch(function () {
        stop();
        status.textContent = "The camera isn't available: type the code instead.";
        video.hidden = true;
        stopButton.hidden = true;
        scanner.hidden = false;
        input.focus();
      });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) return;
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.hidden = false;
    button.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
    window.addEventListener("pagehide", stop);
  }).catch(function () { /* no QR support: typing stays */ });
})();
