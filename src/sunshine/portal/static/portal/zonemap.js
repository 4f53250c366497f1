/* The zone map: draws /zones.geojson and /schools.geojson as inline SVG, one stage at a time.
   No tiles, no library. Equirectangular projection with longitude scaled by cos(mid-latitude),
   which is accurate enough for a county. Without this script the page lists the zones.
   With data-pick-url, a click anywhere asks that page for the clicked point (lon, lat); with
   data-marker-lon/-lat, that point is marked. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 1000;
  var root = document.getElementById("zone-map");
  var labelsNode = document.getElementById("zone-map-labels");
  if (!root || !labelsNode || !window.fetch || !document.createElementNS) return;
  var L = JSON.parse(labelsNode.textContent);
  var frame = root.querySelector(".map-frame");
  var info = root.querySelector(".map-info");
  var buttons = root.querySelectorAll(".map-toolbar button");

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function polygons(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates];
    if (geometry.type === "MultiPolygon") return geometry.coordinates;
    return [];
  }

  function bounds(features) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    features.forEach(function (f) {
      polygons(f.geometry).forEach(function (poly) {
        poly.forEach(function (ring) {
          ring.forEach(function (p) {
            b[0] = Math.min(b[0], p[0]); b[1] = Math.min(b[1], p[1]);
            b[2] = Math.max(b[2], p[0]); b[3] = Math.max(b[3], p[1]);
          });
        });
      });
    });
    return b;
  }

  function projection(b) {
    var k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    var span = Math.max((b[2] - b[0]) * k, 1e-9);
    var s = WIDTH / span;
    return {
      height: Math.max((b[3] - b[1]) * s, 1),
      xy: function (p) { return [(p[0] - b[0]) * k * s, (b[3] - p[1]) * s]; },
      lonlat: function (x, y) { return [x / (k * s) + b[0], b[3] - y / s]; }
    };
  }

  function pathData(geometry, proj) {
    var d = [];
    polygons(geometry).forEach(function (poly) {
      poly.forEach(function (ring) {
        ring.forEach(function (p, i) {
          var q = proj.xy(p);
          d.push((i ? "L" : "M") + q[0].toFixed(1) + "," + q[1].toFixed(1));
        });
        d.push("Z");
      });
    });
    return d.join("");
  }

  // Area-weighted centroid of the largest outer ring: where the zone's code is written.
  function labelPoint(geometry, proj) {
    var best = null, bestArea = 0;
    polygons(geometry).forEach(function (poly) {
      var ring = poly[0].map(proj.xy), a = 0, cx = 0, cy = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var c = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += c; cx += (ring[j][0] + ring[i][0]) * c; cy += (ring[j][1] + ring[i][1]) * c;
      }
      if (Math.abs(a) > bestArea) { bestArea = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
    });
    return best;
  }

  function show(html) { info.innerHTML = html; }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = String(text);
    return div.innerHTML;
  }

  function describeZone(props) {
    var names = props.school_names || [];
    var kind = props.multi_school ? L.multi : L.single;
    var list = names.length
      ? "<ul>" + names.map(function (n, i) {
          return "<li>" + escapeHtml(n) + " <span class=\"muted\">" +
            escapeHtml(props.school_ids[i]) + "</span></li>";
        }).join("") + "</ul>"
      : "<p>" + escapeHtml(L.none) + "</p>";
    return "<strong>" + escapeHtml(L.zone) + " " + escapeHtml(props.zone_id) + "</strong> · " +
      escapeHtml(kind) + "<br>" + escapeHtml(L.schools) + "：" + list;
  }

  function describeSchool(props) {
    return "<strong>" + escapeHtml(props.name) + "</strong> · " +
      escapeHtml(props.kind === "private" ? L.private : L.public) + "<br>" +
      escapeHtml(L.plan) + "：" + escapeHtml(props.plan_seats);
  }

  function draw(zones, schools, stage) {
    var shown = zones.features.filter(function (f) { return f.properties.stage === stage; });
    var proj = projection(bounds(zones.features.length ? zones.features : shown));
    var svg = el("svg", {
      viewBox: "-10 -10 " + (WIDTH + 20) + " " + (proj.height + 20).toFixed(0),
      role: "group", "aria-label": L.map
    });
    var defs = el("defs", {}, svg);
    var hatch = el("pattern", {
      id: "multi-hatch", width: 8, height: 8, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)"
    }, defs);
    el("rect", { width: 8, height: 8, fill: "#f6d7a7" }, hatch);
    el("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: "#d08a2e", "stroke-width": 3 }, hatch);
    var zoneLayer = el("g", {}, svg);
    var labelLayer = el("g", { "aria-hidden": "true" }, svg);
    var schoolLayer = el("g", {}, svg);
    var selected = null;
    shown.forEach(function (f) {
      var p = f.properties;
      var path = el("path", {
        d: pathData(f.geometry, proj), "class": "zone" + (p.multi_school ? " multi" : ""),
        "fill-rule": "evenodd", tabindex: 0, role: "button",
        "aria-label": L.zone + " " + p.zone_id + "：" + (p.school_names || []).join("、")
      }, zoneLayer);
      var pick = function () {
        if (selected) selected.classList.remove("selected");
        selected = path; path.classList.add("selected");
        show(describeZone(p));
      };
      path.addEventListener("mouseenter", function () { show(describeZone(p)); });
      path.addEventListener("focus", pick);
      path.addEventListener("click", pick);
      path.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); }
      });
      var at = labelPoint(f.geometry, proj);
      if (at) {
        var t = el("text", { x: at[0].toFixed(1), y: at[1].toFixed(1), "class": "zone-label" },
          labelLayer);
        t.textContent = p.zone_id;
      }
    });
    schools.features.forEach(function (f) {
      var p = f.properties;
      if (p.stage !== stage || !f.geometry || f.geometry.type !== "Point") return;
      var q = proj.xy(f.geometry.coordinates);
      var dot = el("circle", {
        cx: q[0].toFixed(1), cy: q[1].toFixed(1), r: 6,
        "class": "school-dot " + (p.kind === "private" ? "private" : "public")
      }, schoolLayer);
      el("title", {}, dot).textContent = p.name;
      dot.addEventListener("mouseenter", function () { show(describeSchool(p)); });
      dot.addEventListener("click", function () { show(describeSchool(p)); });
    });
    var markLon = parseFloat(root.dataset.markerLon), markLat = parseFloat(root.dataset.markerLat);
    if (isFinite(markLon) && isFinite(markLat)) {
      var m = proj.xy([markLon, markLat]);
      var here = el("circle", {
        cx: m[0].toFixed(1), cy: m[1].toFixed(1), r: 9, "class": "here-dot",
        "data-testid": "map-marker"
      }, svg);
      el("title", {}, here).textContent = L.here;
    }
    if (root.dataset.pickUrl) {
      svg.classList.add("pick");
      svg.addEventListener("click", function (e) {
        var pt = svg.createSVGPoint();
        pt.x = e.clientX; pt.y = e.clientY;
        var local = pt.matrixTransform(svg.getScreenCTM().inverse());
        var ll = proj.lonlat(local.x, local.y);
        var url = root.dataset.pickUrl;
        window.location.assign(url + (url.indexOf("?") < 0 ? "?" : "&") +
          "lon=" + ll[0].toFixed(6) + "&lat=" + ll[1].toFixed(6));
      });
    }
    frame.replaceChildren(svg);
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-stage") === stage));
    });
  }

  var hint = info.innerHTML;  // "click a zone…", shown again once the map is drawn
  root.hidden = false;
  show("<p class=\"muted\">" + escapeHtml(L.loading) + "</p>");
  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }
  Promise.all([json(root.dataset.zonesUrl), json(root.dataset.schoolsUrl)]).then(function (data) {
    var stage = root.dataset.stage || "primary";
    draw(data[0], data[1], stage);
    show(hint);
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        draw(data[0], data[1], b.getAttribute("data-stage"));
        show(hint);
      });
    });
  }).catch(function () {
    show("<p>" + escapeHtml(L.failed) + "</p>");
  });
})();
