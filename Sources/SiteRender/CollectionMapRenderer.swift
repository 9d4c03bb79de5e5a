import Foundation
import SiteModel

/// One record on a map: where it is and how it is shown.
struct MapMarker {
    var point: GeoPoint
    var title: String
    /// What a marker is headed by (the record's city), in the page's language.
    var label: String
    /// The record's group in the list (its country), for a marker that joins several places.
    var group: String
    var url: String
}

/// The words a map needs, in the page's language.
struct MapWords {
    var hub: String
    /// A view's caption, by view id.
    var titles: [String: String]
    /// `3 partners`.
    var count: (Int) -> String
}

/// Draws a collection's map as inline SVG, at build time: no tiles, no script, no request. Each view is
/// projected equirectangularly around its middle latitude (true shapes at the scale of a country or a
/// hemisphere's band), the outlines clipped to it and rounded to whole units; markers closer than a label's
/// height are joined, and each joined marker is labelled by its place with its records as links (or, when
/// a later view shows them apart, by their number, linking to that view). Labels are placed where they
/// overlap nothing, or overlap least.
enum CollectionMapRenderer {
    static let width = 640.0
    static let fontSize = 12.0
    static let lineHeight = 15.0
    static let joinRadius = 24.0
    static let maxNames = 6

    struct Frame {
        var south, west, north, east: Double
        var height: Double
        var scale: Double
        var cosine: Double

        func project(_ point: GeoPoint) -> (x: Double, y: Double) {
            ((point.longitude - west) * cosine * scale, (north - point.latitude) * scale)
        }

        func contains(_ point: GeoPoint) -> Bool {
            (south...north).contains(point.latitude) && (west...east).contains(point.longitude)
        }
    }

    /// Every view of `map`, as `<figure>`s, with ids `<prefix>-<view id>`.
    static func html(_ map: CollectionMap, markers: [MapMarker], words: MapWords, prefix: String) -> String {
        let frames = map.views.map { frame(for: $0, points: markers.map(\.point) + (map.hub.map { [$0.point] } ?? [])) }
        var html = ""
        for (index, view) in map.views.enumerated() {
            let later = Array(zip(map.views, frames).dropFirst(index + 1))
            html += figure(map, view: view, frame: frames[index], markers: markers, words: words, prefix: prefix, later: later)
        }
        return html
    }

    static func frame(for view: MapView, points: [GeoPoint]) -> Frame {
        var south, west, north, east: Double
        if let bounds = view.bounds {
            (south, west, north, east) = bounds
        } else if points.isEmpty {
            (south, west, north, east) = (-60, -180, 80, 180)
        } else {
            south = points.map(\.latitude).min()!
            north = points.map(\.latitude).max()!
            west = points.map(\.longitude).min()!
            east = points.map(\.longitude).max()!
            let latitudeMargin = (north - south) * 0.25 + 4, longitudeMargin = (east - west) * 0.12 + 6
            south = max(-85, south - latitudeMargin)
            north = min(85, north + latitudeMargin)
            west = max(-180, west - longitudeMargin)
            east = min(180, east + longitudeMargin)
        }
        let cosine = max(0.2, cos((south + north) / 2 * .pi / 180))
        // Between a band (5:2) and a near square (4:3): widen the shorter side around the middle.
        var ratio = (north - south) / ((east - west) * cosine)
        if ratio < 0.4 {
            let middle = (south + north) / 2, half = (east - west) * cosine * 0.4 / 2
            (south, north) = (max(-85, middle - half), min(85, middle + half))
        } else if ratio > 0.75 {
            let middle = (west + east) / 2, half = (north - south) / 0.75 / cosine / 2
            (west, east) = (max(-180, middle - half), min(180, middle + half))
        }
        ratio = (north - south) / ((east - west) * cosine)
        let scale = width / ((east - west) * cosine)
        return Frame(south: south, west: west, north: north, east: east, height: (width * ratio).rounded(), scale: scale, cosine: cosine)
    }

    // MARK: - One view

    struct Cluster {
        var x: Double, y: Double
        var members: [MapMarker]
    }

    struct Box {
        var x, y, width, height: Double
        func overlap(_ other: Box) -> Double {
            let w = min(x + width, other.x + other.width) - max(x, other.x)
            let h = min(y + height, other.y + other.height) - max(y, other.y)
            return w > 0 && h > 0 ? w * h : 0
        }
    }

    static func figure(_ map: CollectionMap, view: MapView, frame: Frame, markers: [MapMarker], words: MapWords, prefix: String,
                       later: [(MapView, Frame)]) -> String {
        let id = "\(prefix)-\(view.id)"
        let height = frame.height
        let clusters = join(markers.filter { frame.contains($0.point) }, frame)
        let hub = map.hub.flatMap { frame.contains($0.point) ? frame.project($0.point) : nil }
        let title = words.titles[view.id]
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\""
            + " font-size=\"\(Int(fontSize))\" aria-labelledby=\"\(id)-title\">"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(title ?? words.hub))</title>"
        svg += "<rect class=\"map-sea\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#eaf1f8\"/>"
        // The outlines that hold a marker (a partner's country) are drawn apart, to stand out.
        let shown = markers.filter { frame.contains($0.point) }.map(\.point)
        let marked = map.outlines.map { rings in rings.contains { ring in shown.contains { inside($0, ring) } } }
        svg += "<path class=\"map-land\" fill=\"#d3dce6\" d=\"\(outlinePath(zip(map.outlines, marked).filter { !$0.1 }.flatMap(\.0), frame))\"/>"
        let markedPath = outlinePath(zip(map.outlines, marked).filter(\.1).flatMap(\.0), frame)
        if !markedPath.isEmpty { svg += "<path class=\"map-land-marked\" fill=\"#bccad8\" d=\"\(markedPath)\"/>" }
        if let hub {
            var routes = ""
            for cluster in clusters {
                let (dx, dy) = (cluster.x - hub.x, cluster.y - hub.y)
                let distance = hypot(dx, dy)
                guard distance > joinRadius else { continue }
                // A curve bowed toward the pole, as a great circle looks on this projection.
                let bow = distance * 0.18
                let control = (x: (hub.x + cluster.x) / 2, y: (hub.y + cluster.y) / 2 - bow)
                routes += "M\(n(hub.x)) \(n(hub.y))Q\(n(control.x)) \(n(control.y)) \(n(cluster.x)) \(n(cluster.y))"
            }
            if !routes.isEmpty {
                svg += "<path class=\"map-route\" fill=\"none\" stroke=\"#0b4f8a\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\" d=\"\(routes)\"/>"
            }
        }
        // Markers first (labels go over them), then labels, placed one by one.
        var occupied: [Box] = clusters.map { Box(x: $0.x - 6, y: $0.y - 6, width: 12, height: 12) }
        if let hub {
            occupied.append(Box(x: hub.x - 7, y: hub.y - 7, width: 14, height: 14))
            svg += "<rect class=\"map-hub\" x=\"\(n(hub.x - 5))\" y=\"\(n(hub.y - 5))\" width=\"10\" height=\"10\" fill=\"#b5462f\"/>"
        }
        for cluster in clusters {
            let radius = cluster.members.count == 1 ? 4.5 : 6
            svg += "<circle class=\"map-marker\" cx=\"\(n(cluster.x))\" cy=\"\(n(cluster.y))\" r=\"\(n(radius))\" fill=\"#0b4f8a\"/>"
        }
        var labels = ""
        if let hub {
            let lines = [Line(text: words.hub, url: nil, heading: true)]
            labels += place(lines, at: hub, frame: frame, occupied: &occupied)
        }
        for cluster in clusters {
            labels += place(lines(for: cluster, later: later, words: words, prefix: prefix), at: (cluster.x, cluster.y), frame: frame, occupied: &occupied)
        }
        svg += labels + "</svg>"
        var html = "<figure class=\"map\" id=\"\(id)\"><div class=\"map-frame\">\(svg)</div>"
        if let title { html += "<figcaption>\(HTML.escape(title))</figcaption>" }
        return html + "</figure>\n"
    }

    /// Markers closer than `joinRadius` joined, and joined again while two joined markers' centres are
    /// that close (so a country's dozen cities become one marker on a world map, whatever their order).
    static func join(_ markers: [MapMarker], _ frame: Frame) -> [Cluster] {
        var clusters = markers.map { marker -> Cluster in
            let (x, y) = frame.project(marker.point)
            return Cluster(x: x, y: y, members: [marker])
        }
        var joined = true
        while joined {
            joined = false
            search: for a in clusters.indices {
                for b in clusters.indices where b > a && hypot(clusters[a].x - clusters[b].x, clusters[a].y - clusters[b].y) < joinRadius {
                    let (m, n) = (Double(clusters[a].members.count), Double(clusters[b].members.count))
                    clusters[a].x = (clusters[a].x * m + clusters[b].x * n) / (m + n)
                    clusters[a].y = (clusters[a].y * m + clusters[b].y * n) / (m + n)
                    clusters[a].members += clusters[b].members
                    clusters.remove(at: b)
                    joined = true
                    break search
                }
            }
        }
        return clusters
    }

    struct Line {
        var text: String
        var url: String?
        var heading: Bool
    }

    /// A joined marker's label: its place, then its records (or their number, linking to the view that
    /// shows them apart).
    static func lines(for cluster: Cluster, later: [(MapView, Frame)], words: MapWords, prefix: String) -> [Line] {
        let places = unique(cluster.members.map(\.label))
        let groups = unique(cluster.members.map(\.group))
        let heading = places.count == 1 ? places[0] : groups.count == 1 ? groups[0] : places.joined(separator: " · ")
        var lines = [Line(text: heading, url: nil, heading: true)]
        let detail = later.first { view, frame in
            cluster.members.allSatisfy { frame.contains($0.point) } && apart(cluster.members, in: frame)
        }
        if cluster.members.count > 1, places.count > 1, let (view, _) = detail {
            lines.append(Line(text: words.count(cluster.members.count), url: "#\(prefix)-\(view.id)", heading: false))
            return lines
        }
        for member in cluster.members.prefix(maxNames) {
            lines.append(Line(text: member.title, url: member.url, heading: false))
        }
        if cluster.members.count > maxNames {
            lines.append(Line(text: "+ \(cluster.members.count - maxNames)", url: nil, heading: false))
        }
        return lines
    }

    /// Whether `markers` fall in more than one place on `frame`.
    static func apart(_ markers: [MapMarker], in frame: Frame) -> Bool {
        let points = markers.map { frame.project($0.point) }
        return points.contains { hypot($0.x - points[0].x, $0.y - points[0].y) >= joinRadius }
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The label's lines beside the marker at `point`, where they overlap nothing placed yet (else least).
    static func place(_ lines: [Line], at point: (x: Double, y: Double), frame: Frame, occupied: inout [Box]) -> String {
        let textWidth = lines.map { textWidthEstimate($0.text, bold: $0.heading) }.max() ?? 0
        let height = Double(lines.count) * lineHeight
        let gap = 8.0
        let candidates: [(x: Double, y: Double)] = [
            (point.x + gap, point.y - lineHeight * 0.7),                 // right, first line level with the marker
            (point.x - gap - textWidth, point.y - lineHeight * 0.7),     // left
            (point.x + gap, point.y - height + lineHeight * 0.3),        // right, above
            (point.x - gap - textWidth, point.y - height + lineHeight * 0.3),
            (point.x - textWidth / 2, point.y + gap),                    // below
            (point.x - textWidth / 2, point.y - gap - height),           // above
            (point.x + gap * 3, point.y + gap),
            (point.x - gap * 3 - textWidth, point.y + gap),
        ]
        func cost(_ box: Box) -> Double {
            let outside = max(0, 2 - box.x) + max(0, box.x + box.width - (width - 2)) + max(0, 2 - box.y) + max(0, box.y + box.height - (frame.height - 2))
            return outside * 1000 + occupied.reduce(0) { $0 + $1.overlap(box) }
        }
        let boxes = candidates.map { Box(x: $0.x, y: $0.y, width: textWidth, height: height) }
        let best = boxes.min { cost($0) < cost($1) }!
        occupied.append(best)
        var svg = ""
        for (index, line) in lines.enumerated() {
            let baseline = best.y + Double(index) * lineHeight + fontSize
            let text = "<text class=\"\(line.heading ? "map-place" : "map-name")\" x=\"\(n(best.x))\" y=\"\(n(baseline))\"\(line.heading ? " font-weight=\"700\"" : "")>\(HTML.escape(line.text))</text>"
            if let url = line.url {
                svg += "<a href=\"\(HTML.escape(url))\">\(text)</a>"
            } else {
                svg += text
            }
        }
        return svg
    }

    /// A text's width in units at the map's font size: CJK characters are square, others about half.
    static func textWidthEstimate(_ text: String, bold: Bool) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF: ems += 1
            case 0x20, 0x2C, 0x2E, 0x27, 0x2019, 0x28, 0x29, 0x49, 0x69, 0x6C: ems += 0.3
            case 0x4D, 0x57, 0x6D, 0x77: ems += 0.85
            default: ems += scalar.properties.isUppercase ? 0.66 : 0.54
            }
        }
        return ems * fontSize * (bold ? 1.06 : 1)
    }

    // MARK: - Outlines

    /// The outlines inside `frame` as one path: each ring projected, clipped to the frame, rounded to whole
    /// units, with points that rounding repeats (and rings that it makes tiny) left out.
    static func outlinePath(_ rings: [[GeoPoint]], _ frame: Frame) -> String {
        var path = ""
        let margin = 2.0
        for ring in rings {
            guard let first = ring.first else { continue }
            var (minLat, maxLat, minLon, maxLon) = (first.latitude, first.latitude, first.longitude, first.longitude)
            for point in ring {
                minLat = min(minLat, point.latitude); maxLat = max(maxLat, point.latitude)
                minLon = min(minLon, point.longitude); maxLon = max(maxLon, point.longitude)
            }
            guard maxLat >= frame.south, minLat <= frame.north, maxLon >= frame.west, minLon <= frame.east else { continue }
            var points = ring.map { frame.project($0) }
            points = clip(points, minX: -margin, minY: -margin, maxX: width + margin, maxY: frame.height + margin)
            var rounded: [(Int, Int)] = []
            for point in points {
                let next = (Int(point.x.rounded()), Int(point.y.rounded()))
                if rounded.last.map({ $0 != next }) ?? true { rounded.append(next) }
            }
            if rounded.count > 1, rounded.first! == rounded.last! { rounded.removeLast() }
            guard rounded.count >= 3, abs(area(rounded)) >= 4 else { continue }
            rounded = simplify(rounded, tolerance: 0.9)
            guard rounded.count >= 3 else { continue }
            // Relative steps are short ("l3-2"): the first point absolute, then each move from the last.
            path += "M\(rounded[0].0) \(rounded[0].1)l"
            var previous = rounded[0]
            for (index, point) in rounded.dropFirst().enumerated() {
                let (dx, dy) = (point.0 - previous.0, point.1 - previous.1)
                if index > 0 && dx >= 0 { path += " " }
                path += "\(dx)" + (dy >= 0 ? " " : "") + "\(dy)"
                previous = point
            }
            path += "z"
        }
        return path
    }

    /// Whether `point` is inside `ring` (even–odd rule, in degrees: fine away from the antimeridian).
    static func inside(_ point: GeoPoint, _ ring: [GeoPoint]) -> Bool {
        var result = false
        var previous = ring[ring.count - 1]
        for current in ring {
            if (current.latitude > point.latitude) != (previous.latitude > point.latitude) {
                let longitude = current.longitude + (point.latitude - current.latitude) / (previous.latitude - current.latitude) * (previous.longitude - current.longitude)
                if point.longitude < longitude { result.toggle() }
            }
            previous = current
        }
        return result
    }

    /// Douglas–Peucker: the fewest points that stay within `tolerance` units of the ring.
    static func simplify(_ points: [(Int, Int)], tolerance: Double) -> [(Int, Int)] {
        guard points.count > 4 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        // The ring's farthest point from its first splits it into two open lines.
        let far = points.indices.max { distance(points[$0], points[0]) < distance(points[$1], points[0]) }!
        keep[far] = true
        var stack = [(0, far), (far, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            var (best, bestDistance) = (first, 0.0)
            for index in (first + 1)..<last {
                let d = lineDistance(points[index], points[first], points[last])
                if d > bestDistance { (best, bestDistance) = (index, d) }
            }
            if bestDistance > tolerance {
                keep[best] = true
                stack.append((first, best))
                stack.append((best, last))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }

    static func distance(_ a: (Int, Int), _ b: (Int, Int)) -> Double { hypot(Double(a.0 - b.0), Double(a.1 - b.1)) }

    static func lineDistance(_ p: (Int, Int), _ a: (Int, Int), _ b: (Int, Int)) -> Double {
        let (dx, dy) = (Double(b.0 - a.0), Double(b.1 - a.1))
        let length = hypot(dx, dy)
        guard length > 0 else { return distance(p, a) }
        return abs(dx * Double(a.1 - p.1) - Double(a.0 - p.0) * dy) / length
    }

    static func area(_ points: [(Int, Int)]) -> Double {
        var sum = 0
        for index in points.indices {
            let (a, b) = (points[index], points[(index + 1) % points.count])
            sum += a.0 * b.1 - b.0 * a.1
        }
        return Double(sum) / 2
    }

    /// Sutherland–Hodgman clipping of a closed ring to a rectangle.
    static func clip(_ ring: [(x: Double, y: Double)], minX: Double, minY: Double, maxX: Double, maxY: Double) -> [(x: Double, y: Double)] {
        typealias P = (x: Double, y: Double)
        func clipEdge(_ points: [P], inside: (P) -> Bool, cross: (P, P) -> P) -> [P] {
            guard let last = points.last else { return [] }
            var result: [P] = []
            var previous = last
            for point in points {
                if inside(point) {
                    if !inside(previous) { result.append(cross(previous, point)) }
                    result.append(point)
                } else if inside(previous) {
                    result.append(cross(previous, point))
                }
                previous = point
            }
            return result
        }
        func atX(_ x: Double) -> (P, P) -> P { { a, b in (x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)) } }
        func atY(_ y: Double) -> (P, P) -> P { { a, b in (a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y) } }
        var points = ring
        points = clipEdge(points, inside: { $0.x >= minX }, cross: atX(minX))
        points = clipEdge(points, inside: { $0.x <= maxX }, cross: atX(maxX))
        points = clipEdge(points, inside: { $0.y >= minY }, cross: atY(minY))
        points = clipEdge(points, inside: { $0.y <= maxY }, cross: atY(maxY))
        return points
    }

    /// A coordinate with at most one decimal.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
