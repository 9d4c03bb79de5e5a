/// A partner institution from `Content/data/partners.yaml`, validated.
public struct Partner: Sendable {
    /// Lowercase slug, unique; the partner's page is `/partners/<id>/`.
    public var id: String
    public var name: String
    /// ISO 3166-1 alpha-2 code, upper case (`FR`).
    public var country: String
    public var city: String
    /// `university`, `faculty`, `health-authority`, …
    public var kind: String?
    /// Areas of cooperation, each declared in `site.yaml` under `areas`.
    public var areas: [String]
    public var programs: [Program]
    public var since: PartnerSince?
    /// The institution's own website (`http://` or `https://`).
    public var url: String?
    /// Where the record starts, for diagnostics.
    public var location: SourceLocation
    /// Where some of its fields are, for diagnostics about their values: `kind`, `country`, `areas.<i>`,
    /// `programs.<i>.level`.
    public var locations: [String: SourceLocation] = [:]
    /// `Content/partners/<id>.md`, when it exists: more prose for the partner's page.
    public var page: Page?
    /// The partner's Markdown page in other languages, by language key (`Content/partners/<id>.zh.md` → `zh`).
    public var translatedPages: [String: Page] = [:]
    /// `name` and `city` in other languages, by language key (`name: {en: …, zh: …}` in the data).
    public var names: [String: String] = [:]
    public var cities: [String: String] = [:]

    /// The name in the language `key`, or in the default language.
    public func name(in key: String) -> String { names[key] ?? name }
    public func city(in key: String) -> String { cities[key] ?? city }

    public init(id: String, name: String, country: String, city: String, kind: String? = nil, areas: [String] = [],
                programs: [Program] = [], since: PartnerSince? = nil, url: String? = nil,
                location: SourceLocation, page: Page? = nil) {
        self.id = id
        self.name = name
        self.country = country
        self.city = city
        self.kind = kind
        self.areas = areas
        self.programs = programs
        self.since = since
        self.url = url
        self.location = location
        self.page = page
    }

    /// A programme run with a partner.
    public struct Program: Sendable, Hashable {
        public var name: String
        public var level: String?
        public var description: String?
        /// `name` and `description` in other languages, by language key.
        public var names: [String: String] = [:]
        public var descriptions: [String: String] = [:]

        public init(name: String, level: String? = nil, description: String? = nil) {
            self.name = name
            self.level = level
            self.description = description
        }
    }
}

/// When a partnership started: a year (`2014`) or a month (`2014-10`).
public struct PartnerSince: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int?

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count == 4, let year = Int(parts[0]), parts[0].allSatisfy(\.isASCII),
              year >= 1000 else { return nil }
        self.year = year
        if parts.count == 2 {
            guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            self.month = month
        }
    }

    public var description: String {
        guard let month else { return String(year) }
        return "\(year)-\(month < 10 ? "0" : "")\(month)"
    }

    public static func < (a: PartnerSince, b: PartnerSince) -> Bool {
        (a.year, a.month ?? 0) < (b.year, b.month ?? 0)
    }
}

/// Selects partners: every given criterion must match.
public struct PartnerFilter: Sendable, Hashable {
    public var country: String?
    public var area: String?
    public var kind: String?

    public init(country: String? = nil, area: String? = nil, kind: String? = nil) {
        self.country = country
        self.area = area
        self.kind = kind
    }

    public func matches(_ partner: Partner) -> Bool {
        (country == nil || partner.country == country) && (area == nil || partner.areas.contains(area!))
            && (kind == nil || partner.kind == kind)
    }
}
