#!/usr/bin/env python3
"""Writes Templates/maps/countries-110m.geojson: the world's countries at 1:110m, from Natural Earth.

usage: scripts/basemap.py [OUTPUT]

Natural Earth (https://www.naturalearthdata.com/) is in the public domain. Its 1:110m "Admin 0 – Countries"
outlines ship, as the `naturalearth_lowres` shapefile, inside the PyPI package geopandas up to 0.14; this
script fetches that wheel with `pip download` (no install, no dependencies), reads the shapefile's polygons
and country names with the standard library only, rounds coordinates to 0.1 degree (the data's own
precision at this scale is coarser), drops points that rounding made repeat, and writes GeoJSON.
Orbis's collection maps (`map:` in a collection's declaration) draw what it holds.
"""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Templates", "maps", "countries-110m.geojson")
work = tempfile.mkdtemp(prefix="orbis-basemap-")
subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", work, "geopandas==0.14.4"], check=True)
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, "geopandas-*.whl"))[0])
base = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
shp = wheel.read(base + ".shp")
dbf = wheel.read(base + ".dbf")


def records_of_dbf(data):
    count, header_size, record_size = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    offset = 32
    while data[offset] != 0x0D:
        name = data[offset:offset + 11].split(b"\0")[0].decode()
        fields.append((name, data[offset + 16]))
        offset += 32
    rows = []
    for i in range(count):
        start = header_size + i * record_size + 1
        row = {}
        for name, size in fields:
            row[name] = data[start:start + size].decode("utf-8", "replace").strip()
            start += size
        rows.append(row)
    return rows


def polygons_of_shp(data):
    offset = 100
    shapes = []
    while offset < len(data):
        _, length = struct.unpack(">ii", data[offset:offset + 8])
        content = data[offset + 8:offset + 8 + length * 2]
        offset += 8 + length * 2
        kind = struct.unpack("<i", content[:4])[0]
        if kind != 5:
            shapes.append([])
            continue
        parts_count, points_count = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack("<%di" % parts_count, content[44:44 + 4 * parts_count]))
        start = 44 + 4 * parts_count
        points = [struct.unpack("<dd", content[start + 16 * i:start + 16 * i + 16]) for i in range(points_count)]
        rings = []
        for index, first in enumerate(parts):
            last = parts[index + 1] if index + 1 < len(parts) else points_count
            ring = []
            for lon, lat in points[first:last]:
                point = [round(lon, 1), round(lat, 1)]
                if not ring or ring[-1] != point:
                    ring.append(point)
            if len(ring) >= 4:
                rings.append(ring)
        shapes.append(rings)
    return shapes


features = []
for row, rings in zip(records_of_dbf(dbf), polygons_of_shp(shp)):
    if not rings:
        continue
    # Shapefile rings are outer (clockwise) or holes; each ring is kept as a polygon of its own, which
    # draws the same at this scale (the 110m countries have no holes that matter for a filled map).
    features.append({"type": "Feature", "properties": {"name": row.get("name", ""), "iso_a3": row.get("iso_a3", "")},
                     "geometry": {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]}})
features.sort(key=lambda f: f["properties"]["name"])
with open(output, "w") as f:
    f.write('{"type": "FeatureCollection",\n "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), via geopandas 0.14.4 naturalearth_lowres; scripts/basemap.py",\n "features": [\n')
    f.write(",\n".join(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features))
    f.write("\n]}\n")
print("wrote %s: %d countries, %d points" % (output, len(features), sum(len(r) for f in features for p in f["geometry"]["coordinates"] for r in p)))
