/* A drive's route on its event page: the track as a line and the stops as numbered markers, drawn
   with Leaflet (static/vendor/leaflet/, from npm) from the page's json_script data. Tiles come
   from the tile server the site sets; without one, the route still draws on a plain background. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-route-map"));
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 });
    container.classList.add("route-map--ready");
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
    } else {
      container.classList.add("route-map--no-tiles");
    }
    var bounds = [];
    if (data.points && data.points.length > 1) {
      var line = L.polyline(data.points, { color: "#0b5d4b", weight: 5, opacity: 0.9 }).addTo(map);
      line.getElement && line.getElement() && line.getElement().classList.add("route-map__line");
      bounds = bounds.concat(data.points);
    }
    (data.stops || []).forEach(function (stop) {
      var icon = L.divIcon({
        className: "route-map__stop route-map__stop--" + (stop.kind || "").toLowerCase().replace(/\W+/g, "-"),
        html: String(stop.number),
        iconSize: [28, 28],
        iconAnchor: [14, 14]
      });
      var label = stop.number + ". " + (stop.time ? stop.time + " " : "") + stop.kind + ": " + stop.name;
      L.marker([stop.lat, stop.lon], { icon: icon, title: label, alt: label, keyboard: false, zIndexOffset: stop.number === 1 ? 1000 : 0 })
        .bindPopup(document.createTextNode(label))
        .addTo(map);
      bounds.push([stop.lat, stop.lon]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24] });
    } else {
      map.setView([54, -2], 5);
    }
  }

  function start() {
    var maps = document.querySelectorAll("[data-route-map]");
    for (var i = 0; i < maps.length; i++) draw(maps[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
