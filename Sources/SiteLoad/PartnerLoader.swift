import SiteModel

/// Reads and validates `Content/data/partners.yaml`: a list with one record per partner institution.
/// Every problem in the file is collected and reported at its position, naming the record's id.
struct PartnerLoader {
    static let fields = ["id", "name", "country", "city", "kind", "areas", "programs", "since", "url"]
    static let programFields = ["name", "level", "description"]

    let file: String
    let areas: [String]
    let today: CalendarDate?
    /// The site's language keys, the default first: `name` and `city` may be given per language.
    let languages: [String]
    var diagnostics: [Diagnostic] = []

    init(file: String, areas: [String], today: CalendarDate?, languages: [String] = ["en"]) {
        self.file = file
        self.areas = areas
        self.today = today
        self.languages = languages
    }

    mutating func load(_ root: YAMLNode?) -> [Partner] {
        guard let root else { return [] }
        guard case .sequence(let records) = root.kind else {
            diagnostics.append(.error(at: root.location,
                "partners.yaml must be a list of partners ('- id: ...' records), found \(root.typeName)"))
            return []
        }
        var partners: [Partner] = []
        var seenIDs: [String: SourceLocation] = [:]
        for (index, record) in records.enumerated() {
            guard let partner = self.partner(record, number: index + 1) else { continue }
            let key = partner.id.lowercased()
            if let first = seenIDs[key] {
                diagnostics.append(.error(at: record["id"]?.location ?? record.location,
                    "partner '\(partner.id)': id is already used by the partner at line \(first.line); ids must be unique"))
                continue
            }
            seenIDs[key] = record["id"]?.location ?? record.location
            partners.append(partner)
        }
        return partners
    }

    private mutating func partner(_ record: YAMLNode, number: Int) -> Partner? {
        let idText = record["id"]?.scalarText
        let label = idText.map { "partner '\($0)'" } ?? "partner #\(number)"
        var problems: [Diagnostic] = []
        var fields = FieldReader(record, what: label, diagnostics: &problems)
        guard case .mapping = record.kind else {
            diagnostics += problems
            return nil
        }
        for problem in fields.unknownKeys(known: Self.fields) {
            problems.append(problem)
        }
        let id = fields.string("id", required: true)
        let (name, names) = fields.localized("name", languages: languages, required: true)
        let country = fields.string("country", required: true)
        let (city, cities) = fields.localized("city", languages: languages, required: true)
        let kind = fields.string("kind")
        let since = fields.string("since")
        let url = fields.string("url")
        problems += fields.diagnostics.map { prefixed($0, label) }

        if let id, let node = record["id"], !Self.isSlug(id) {
            problems.append(.error(at: node.location,
                "\(label): id must be a lowercase slug like 'paris-descartes' (a-z, 0-9 and '-'), found \"\(id)\""))
        }
        if let country, let node = record["country"], Country.name(for: country) == nil {
            let hint = Country.name(for: country.uppercased()) != nil ? "; write it in capitals: \(country.uppercased())" : ""
            problems.append(.error(at: node.location,
                "\(label): country must be an ISO 3166-1 alpha-2 code like FR or CA, found \"\(country)\"\(hint)"))
        }
        if let kind, let node = record["kind"], !Self.isSlug(kind) {
            problems.append(.error(at: node.location,
                "\(label): kind must be a lowercase word like university, faculty or health-authority, found \"\(kind)\""))
        }
        var parsedSince: PartnerSince?
        if let since, let node = record["since"] {
            if let value = PartnerSince(since) {
                if let today, value.year > today.year || (value.year == today.year && (value.month ?? 1) > today.month) {
                    problems.append(.error(at: node.location, "\(label): since \(since) is in the future"))
                } else {
                    parsedSince = value
                }
            } else {
                problems.append(.error(at: node.location,
                    "\(label): 'since' must be a year like 1987 or a month like 2014-10, found \"\(since)\""))
            }
        }
        if let url, let node = record["url"], let problem = WebAddress.problem(url, allowed: .http) {
            problems.append(.error(at: node.location, "\(label): url \(url.debugDescription) is not a website address like https://www.example.org/: \(problem)"))
        }
        let areas = self.areas(record["areas"], label: label, problems: &problems)
        let programs = self.programs(record["programs"], label: label, problems: &problems)

        diagnostics += problems
        guard problems.isEmpty, let id, let name, let country, let city else { return nil }
        var partner = Partner(id: id, name: name, country: country, city: city, kind: kind, areas: areas, programs: programs,
                              since: parsedSince, url: url, location: record.location)
        partner.names = names
        partner.cities = cities
        for key in ["kind", "country"] { partner.locations[key] = record[key]?.location }
        if case .sequence(let items)? = record["areas"]?.kind {
            for (index, item) in items.enumerated() { partner.locations["areas.\(index)"] = item.location }
        }
        if case .sequence(let items)? = record["programs"]?.kind {
            for (index, item) in items.enumerated() { partner.locations["programs.\(index).level"] = item["level"]?.location }
        }
        return partner
    }

    private func areas(_ node: YAMLNode?, label: String, problems: inout [Diagnostic]) -> [String] {
        guard let node else { return [] }
        guard case .sequence(let items) = node.kind else {
            problems.append(.error(at: node.location, "\(label): 'areas' must be a list like [Nursing, Pharmacy], found \(node.typeName)"))
            return []
        }
        var result: [String] = []
        for item in items {
            guard let area = item.scalarText else {
                problems.append(.error(at: item.location, "\(label): each area must be text, found \(item.typeName)"))
                continue
            }
            if !areas.contains(area) {
                let declared = areas.isEmpty ? "site.yaml declares no areas" : "declared: \(areas.joined(separator: ", "))"
                problems.append(.error(at: item.location,
                    "\(label): area '\(area)' is not declared in site.yaml; add it under 'areas:' or fix the spelling (\(declared))"))
                continue
            }
            result.append(area)
        }
        return result
    }

    private func programs(_ node: YAMLNode?, label: String, problems: inout [Diagnostic]) -> [Partner.Program] {
        guard let node else { return [] }
        guard case .sequence(let items) = node.kind else {
            problems.append(.error(at: node.location, "\(label): 'programs' must be a list of '- name: ...' entries, found \(node.typeName)"))
            return []
        }
        var result: [Partner.Program] = []
        for item in items {
            var fieldProblems: [Diagnostic] = []
            var fields = FieldReader(item, what: "\(label): a programme", diagnostics: &fieldProblems)
            fieldProblems += fields.unknownKeys(known: Self.programFields)
            let (name, names) = fields.localized("name", languages: languages, required: true)
            let level = fields.string("level")
            let (description, descriptions) = fields.localized("description", languages: languages)
            fieldProblems += fields.diagnostics.map { prefixed($0, label) }
            problems += fieldProblems
            if fieldProblems.isEmpty, let name {
                var program = Partner.Program(name: name, level: level, description: description)
                program.names = names
                program.descriptions = descriptions
                result.append(program)
            }
        }
        return result
    }

    /// Field errors from `FieldReader` name the field; add which record they are in.
    private func prefixed(_ diagnostic: Diagnostic, _ label: String) -> Diagnostic {
        guard !diagnostic.message.hasPrefix(label) else { return diagnostic }
        var copy = diagnostic
        copy.message = "\(label): " + diagnostic.message
        return copy
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && !text.hasSuffix("-") && !text.contains("--")
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

extension YAMLNode {
    subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = kind else { return nil }
        return pairs.first { $0.key.scalarText == key }?.value
    }
}
