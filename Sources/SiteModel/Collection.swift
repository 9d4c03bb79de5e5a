/// A collection a site declares (`collections:` in `site.yaml`): where its records come from, the fields
/// they have, and what the build makes of them. The engine knows no collection by name: the Global Vision
/// site's partners and programmes are two of these.
public struct CollectionSpec: Sendable {
    public var name: String
    /// One record's noun (`person`): in messages, and what a record page's template calls its record.
    public var singular: String
    /// The data file, relative to `Content/data/` (YAML, JSON or CSV, by its extension).
    public var source: String
    /// The field that holds each record's id (unique, a slug: it is part of URLs).
    public var idField: String
    /// The fields, in the order they were declared (the id field among them).
    public var fields: [DeclaredField]
    /// The field a record's page is titled by.
    public var titleField: String
    /// A page per record.
    public var recordPages: RecordPages?
    /// A page listing the records.
    public var listPage: ListPage?
    /// A page per value of a field (an enum, or a list of them), listing the records that have it.
    public var valuePages: [ValuePages] = []
    /// Where the records are published as JSON, relative to the output.
    public var json: String?
    /// How a record is described in schema.org JSON-LD on its page: properties to field names.
    public var jsonLD: DataNode?
    /// A map of the records, drawn at build time.
    public var map: CollectionMap?
    public var location: SourceLocation

    public init(name: String, singular: String, source: String, idField: String, fields: [DeclaredField],
                titleField: String, location: SourceLocation) {
        self.name = name
        self.singular = singular
        self.source = source
        self.idField = idField
        self.fields = fields
        self.titleField = titleField
        self.location = location
    }

    public func field(_ name: String) -> DeclaredField? { fields.first { $0.name == name } }
}

/// Where a collection's record pages go: `route` holds `{id}` (`/people/{id}/`); their prose is
/// `Content/<prose>/<id>.md` (and `<id>.<lang>.md`).
public struct RecordPages: Sendable {
    public var route: String
    public var layout: String
    public var prose: String

    public init(route: String, layout: String, prose: String) {
        self.route = route
        self.layout = layout
        self.prose = prose
    }

    /// The route of the record `id` (without a language prefix).
    public func route(of id: String) -> String { route.replacingFirst("{id}", with: id) }
}

/// A collection's list page: at `route`, with the prose of the Markdown page there if there is one.
public struct ListPage: Sendable {
    public var route: String
    public var layout: String?
    /// Sort keys, in order: a field, or `-field` for descending.
    public var sort: [SortKey]
    /// Records are grouped by this field's value (a country, an enum).
    public var group: String?

    public init(route: String, layout: String?, sort: [SortKey], group: String?) {
        self.route = route
        self.layout = layout
        self.sort = sort
        self.group = group
    }
}

public struct SortKey: Sendable, Hashable {
    public var field: String
    public var descending: Bool

    public init(field: String, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }
}

/// A page per value of `field` at `route` (with `{value}`).
public struct ValuePages: Sendable {
    public var field: String
    public var route: String

    public init(field: String, route: String) {
        self.field = field
        self.route = route
    }

    public func route(of value: String) -> String { route.replacingFirst("{value}", with: value) }
}

/// One record, validated: its values by field name, typed by their declaration.
public struct Record: Sendable {
    public var id: String
    public var values: [String: FieldValue]
    /// Where the record starts.
    public var location: SourceLocation
    /// Where each field's value is (`field`, and `field.<n>` for a list's items), for later messages.
    public var locations: [String: SourceLocation]
    /// The Markdown prose of the record's page, by language key.
    public var prose: [String: Page] = [:]

    public init(id: String, values: [String: FieldValue], location: SourceLocation, locations: [String: SourceLocation] = [:]) {
        self.id = id
        self.values = values
        self.location = location
        self.locations = locations
    }
}

/// A collection as loaded: its declaration and its records, in source order.
public struct LoadedCollection: Sendable {
    public var spec: CollectionSpec
    public var records: [Record]

    public init(spec: CollectionSpec, records: [Record]) {
        self.spec = spec
        self.records = records
    }

    public func record(_ id: String) -> Record? { records.first { $0.id == id } }
}

extension String {
    /// `self` with the first `target` replaced (without Foundation).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let parts = split(separator: target, maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? parts[0] + replacement + parts[1] : self
    }
}

/// A map of a collection's records (`map:` in its declaration): each record with a point in `field` is a
/// labelled, linked marker on outlines drawn from a GeoJSON file of the theme; records that would overlap
/// are drawn as one marker. Each view is one map: the bounds of every point, or bounds the site gives
/// (a detail of a crowded region).
public struct CollectionMap: Sendable {
    /// The point field.
    public var field: String
    /// The field a marker is labelled by (a city), or the record's title when nil.
    public var label: String?
    /// The GeoJSON file of outlines, relative to `Templates/`.
    public var base: String
    /// A point every marker is joined to by a line (the site's own city), with its label by language key.
    public var hub: MapHub?
    public var views: [MapView]
    /// The outlines, read from `base` when the site loads: one entry per feature (a country), its rings.
    public var outlines: [[[GeoPoint]]] = []
    public var location: SourceLocation

    public init(field: String, label: String?, base: String, hub: MapHub?, views: [MapView], location: SourceLocation) {
        self.field = field
        self.label = label
        self.base = base
        self.hub = hub
        self.views = views
        self.location = location
    }
}

public struct GeoPoint: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

public struct MapHub: Sendable {
    /// By language key; "" when one label serves every language.
    public var labels: [String: String]
    public var point: GeoPoint

    public init(labels: [String: String], point: GeoPoint) {
        self.labels = labels
        self.point = point
    }

    public func label(in language: String) -> String { labels[language] ?? labels[""] ?? labels.values.sorted().first ?? "" }
}

/// One map: `bounds` (south, west, north, east) or, when nil, every point with a margin.
public struct MapView: Sendable {
    public var id: String
    public var bounds: (south: Double, west: Double, north: Double, east: Double)?
    /// By language key ("" for all), shown as the map's caption.
    public var titles: [String: String]

    public init(id: String, bounds: (south: Double, west: Double, north: Double, east: Double)?, titles: [String: String]) {
        self.id = id
        self.bounds = bounds
        self.titles = titles
    }

    public func title(in language: String) -> String? { titles[language] ?? titles[""] }
}
