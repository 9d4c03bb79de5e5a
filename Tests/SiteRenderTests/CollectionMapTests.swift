import Foundation
import SiteModel
import Testing
@testable import SiteRender

/// The repository's base map (Natural Earth 1:110m countries), as sites use it.
let worldOutlines = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates/maps/countries-110m.geojson"), encoding: .utf8)) ?? ""

let mapYAML = """
    title: T
    languages: [{code: en, name: English}, {code: zh-Hans, key: zh, name: 中文}]
    collections:
      partners:
        fields:
          name: {type: localized, required: true}
          country: {type: country, required: true}
          city: localized
          place: point
        pages: {route: "/partners/{id}/", layout: partner}
        list: {route: /partners/, layout: partners, sort: [name], group: country}
        map:
          field: place
          label: city
          hub: {name: Shanghai, point: [31.23, 121.47]}
          views: [{id: world}, {id: france, bounds: [42.2, -2.6, 51.3, 9.6]}]

    """

let mapData = """
    - id: strasbourg
      name: {en: University of Strasbourg, zh: 斯特拉斯堡大学}
      country: FR
      city: {en: Strasbourg, zh: 斯特拉斯堡}
      place: [48.573, 7.752]
    - id: bureau
      name: "Health Bureau </text><script>alert(1)</script>"
      country: FR
      city: {en: Strasbourg, zh: 斯特拉斯堡}
      place: "48.573, 7.752"
    - id: lyon
      name: {en: University of Lyon, zh: 里昂大学}
      country: FR
      city: {en: Lyon, zh: 里昂}
      place: {lat: 45.764, lon: 4.836}
    - id: ottawa
      name: {en: University of Ottawa, zh: 渥太华大学}
      country: CA
      city: {en: Ottawa, zh: 渥太华}
      place: [45.421, -75.697]
    - id: nowhere
      name: A partner without a place
      country: FR
    """

func renderMap(_ overrides: [String: String] = [:]) throws -> [String: String] {
    var files = [
        "site.yaml": mapYAML,
        "Content/data/partners.yaml": mapData,
        "Templates/maps/countries-110m.geojson": worldOutlines,
        "Templates/partner.mustache": "{{partner.name}}",
        "Templates/partners.mustache": "{{#partners}}{{{map}}}{{/partners}}",
        "Templates/strings/en.yaml": "partners:\n  count: {one: \"{n} partner\", other: \"{n} partners\"}\n  map: {hub: Shanghai, world: Partners worldwide, france: In France}\n",
        "Templates/strings/zh.yaml": "country: {FR: 法国, CA: 加拿大}\npartners:\n  count: {one: \"{n}个合作伙伴\", other: \"{n}个合作伙伴\"}\n  map: {hub: 上海, world: 全球合作伙伴, france: 法国}\n",
    ]
    for (key, value) in overrides { files[key] = value }
    return try render(files)
}

/// The `<figure>` of one view.
func figure(_ html: String, _ id: String) -> String {
    guard let start = html.range(of: "<figure class=\"map\" id=\"\(id)\"") else { return "" }
    guard let end = html[start.lowerBound...].range(of: "</figure>") else { return "" }
    return String(html[start.lowerBound..<end.upperBound])
}

@Suite struct CollectionMapTests {
    @Test func eachViewIsAnInlineMapWithLinkedLabelledMarkersAndNoRequests() throws {
        #expect(worldOutlines.count > 100_000, "the base map Templates/maps/countries-110m.geojson was not found")
        let html = try renderMap()["/partners/"] ?? ""
        let world = figure(html, "map-world"), france = figure(html, "map-france")
        // The world: France's partners are one marker, headed by the country, linking to the view of France;
        // Ottawa's one partner is a link to its page; the hub is labelled.
        #expect(world.contains(#"<text class="map-place""#) && world.contains(">France</text>"))
        #expect(world.contains(##"<a href="#map-france"><text class="map-name""##) && world.contains(">3 partners</text></a>"))
        #expect(world.contains(#"<a href="ottawa/index.html"><text class="map-name""#) && world.contains(">University of Ottawa</text></a>"))
        #expect(world.contains(">Shanghai</text>"))
        #expect(world.contains(#"<path class="map-route""#))
        #expect(world.contains("<figcaption>Partners worldwide</figcaption>"))
        // France: Strasbourg's two partners under one heading, each a link; Lyon apart; no hub (outside).
        #expect(france.contains(">Strasbourg</text>"))
        #expect(france.contains(#"<a href="strasbourg/index.html">"#) && france.contains(#"<a href="bureau/index.html">"#))
        #expect(france.contains(#"<a href="lyon/index.html">"#))
        #expect(!france.contains("map-route") && !france.contains(">Shanghai<"))
        // Names are escaped; a record without a point is simply not on the map.
        #expect(!html.contains("<script>") && html.contains("Health Bureau &lt;/text&gt;&lt;script&gt;"))
        #expect(!html.contains("nowhere/index.html"))
        // Outlines are there, as one path per kind; nothing is fetched.
        #expect(world.contains(##"<path class="map-land" fill="#d3dce6" d="M"##))
        #expect(world.contains(#"<path class="map-land-marked""#))
        #expect(!html.contains("http") && !html.contains("<image") && !html.contains("<script"))
        // The budget: this many outlines stay small.
        #expect(html.utf8.count < 60_000, "the map is \(html.utf8.count) bytes")
    }

    @Test func labelsAndCaptionsAreInThePagesLanguage() throws {
        let html = try renderMap()["/zh/partners/"] ?? ""
        #expect(figure(html, "map-world").contains(">法国</text>"))
        #expect(figure(html, "map-world").contains(">3个合作伙伴</text>"))
        #expect(figure(html, "map-world").contains(">上海</text>"))
        #expect(figure(html, "map-france").contains(">斯特拉斯堡</text>"))
        #expect(figure(html, "map-france").contains(">斯特拉斯堡大学</text>"))
        #expect(html.contains("<figcaption>法国</figcaption>"))
    }

    @Test func markersJoinWhateverTheOrderOfTheirRecords() {
        // Four points 10 units apart in a row: joining each to the first group within reach leaves two
        // groups (0, 10, 20 and 30); joining groups again by their centres makes one.
        let frame = CollectionMapRenderer.Frame(south: 0, west: 0, north: 10, east: 64, height: 100, scale: 10, cosine: 1)
        let markers = [0.0, 1, 2, 3].map { longitude in
            MapMarker(point: GeoPoint(latitude: 5, longitude: longitude), title: "t\(longitude)", label: "", group: "", url: "")
        }
        #expect(CollectionMapRenderer.join(markers, frame).count == 1)
        let apart = [0.0, 10, 20].map { MapMarker(point: GeoPoint(latitude: 5, longitude: $0), title: "", label: "", group: "", url: "") }
        #expect(CollectionMapRenderer.join(apart, frame).count == 3)
    }

    @Test func outlinesAreClippedToTheViewAndRoundedToWholeUnits() {
        let square = [(x: -50.0, y: -50.0), (x: 50, y: -50), (x: 50, y: 50), (x: -50, y: 50)]
        let clipped = CollectionMapRenderer.clip(square, minX: 0, minY: 0, maxX: 20, maxY: 20)
        #expect(clipped.allSatisfy { (0...20).contains($0.x) && (0...20).contains($0.y) })
        #expect(clipped.count == 4)
        // A wiggle smaller than a unit goes; a corner stays.
        let line = [(0, 0), (5, 0), (10, 0), (10, 10), (5, 10), (0, 10)]
        #expect(CollectionMapRenderer.simplify(line, tolerance: 0.9).count == 4)
    }

    @Test func aMapNeedsAPointFieldRealBoundsAndItsOutlines() {
        func errors(_ map: String, outlines: String? = worldOutlines) -> [String] {
            var files = [
                "site.yaml": mapYAML.replacingOccurrences(of: """
                        map:
                          field: place
                          label: city
                          hub: {name: Shanghai, point: [31.23, 121.47]}
                          views: [{id: world}, {id: france, bounds: [42.2, -2.6, 51.3, 9.6]}]
                    """, with: map),
                "Content/data/partners.yaml": mapData,
                "Templates/partner.mustache": "", "Templates/partners.mustache": "",
            ]
            if let outlines { files["Templates/maps/countries-110m.geojson"] = outlines }
            return renderErrors(files)
        }
        #expect(errors("    map: {field: city}") == ["site.yaml:12:18: error: a map shows a point field (type: point), and 'city' is localized"])
        #expect(errors("    map: {field: plaec}") == ["site.yaml:12:18: error: the map's 'field' names the field 'plaec', which is no field of partners; did you mean 'place'?"])
        #expect(errors("    map: {field: place, views: [{id: europe, bounds: [60, -10, 35, 30]}]}") == [
            "site.yaml:12:54: error: 'bounds' is [south, west, north, east] in degrees, south below north and west below east, like [41.3, -5.2, 51.1, 9.6]"])
        #expect(errors("    map: {field: place, hub: {name: Shanghai, point: [121.47, 31.23]}}") == [
            "site.yaml:12:54: error: 'point': a latitude is between -90 and 90, found 121.47"])
        #expect(errors("    map: {field: place}", outlines: nil) == [
            "site.yaml:12:10: error: the map of partners draws Templates/maps/countries-110m.geojson, which does not exist; add a GeoJSON file of outlines there (this repository's scripts/basemap.py writes one from Natural Earth), or name another with 'base:'"])
        #expect(errors("    map: {field: place}", outlines: #"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, "x"], [1, 1]]]}}]}"#) == [
            #"Templates/maps/countries-110m.geojson:1:121: error: a point of an outline is [longitude, latitude] in degrees (GeoJSON order), found a list"#])
    }
}
