#!/usr/bin/env python3
"""Simplifies the schematic county map (Douglas-Peucker, per ring) for the dashboard: at the map's
size on screen a tolerance of 0.002 degrees (about 200 m) is under a pixel. Usage:
    tools/map/simplify.py IN.geojson OUT.geojson [tolerance]"""
import json
import sys


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = None, tolerance
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > distance:
                index, distance = i, d
        if index is not None:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def ring(points, tolerance):
    out = simplify(points, tolerance)
    return out if len(out) >= 4 else points   # a ring keeps at least a triangle and its closing point


def main():
    source, target = sys.argv[1], sys.argv[2]
    tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 0.002
    geo = json.load(open(source, encoding="utf-8"))
    for feature in geo["features"]:
        g = feature["geometry"]
        if g["type"] == "Polygon":
            g["coordinates"] = [ring(r, tolerance) for r in g["coordinates"]]
        elif g["type"] == "MultiPolygon":
            g["coordinates"] = [[ring(r, tolerance) for r in poly] for poly in g["coordinates"]]
    json.dump(geo, open(target, "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
