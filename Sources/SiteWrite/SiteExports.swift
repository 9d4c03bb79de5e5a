import SiteModel

/// Files made from the site as a whole: `robots.txt`, `sitemap.xml`, each collection's JSON.
public enum SiteExports {
    /// All files for a site whose pages are at `routes`; `translations` gives, for a route, the route of the
    /// same page in each language (by language key) for the sitemap's alternates.
    public static func files(for site: Site, routes: [String], translations: [String: [String: String]] = [:]) -> [OutputFile] {
        var files = [OutputFile(path: "robots.txt", text: robots(baseURL: site.config.baseURL))]
        for collection in site.collections {
            guard let path = collection.spec.json else { continue }
            files.append(OutputFile(path: path, text: collectionJSON(collection, languages: site.config.languages.map(\.key), baseURL: site.config.baseURL)))
        }
        if let base = site.config.baseURL {
            files.append(OutputFile(path: "sitemap.xml", text: sitemap(routes: routes, baseURL: base,
                                                                       translations: translations, languages: site.config.languages)))
        }
        return files
    }

    /// The files `files(for:)` writes for this site, before it is rendered.
    public static func names(for site: Site) -> [String] {
        ["robots.txt"] + site.collections.compactMap(\.spec.json) + (site.config.baseURL == nil ? [] : ["sitemap.xml"])
    }

    public static func robots(baseURL: String?) -> String {
        var text = "User-agent: *\nAllow: /\n"
        if let baseURL { text += "\nSitemap: \(baseURL)sitemap.xml\n" }
        return text
    }

    /// The sitemap protocol needs absolute URLs, so it exists only when `base_url` is set. A page with
    /// translations lists each of them (itself included) and `x-default` as `xhtml:link` alternates.
    public static func sitemap(routes: [String], baseURL: String, translations: [String: [String: String]] = [:],
                               languages: [Language] = []) -> String {
        let multilingual = languages.count > 1
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
            + (multilingual ? " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n" : ">\n")
        func address(_ route: String) -> String { HTML.escape(baseURL + RelativeURL.encodedPath(route.dropFirst())) }
        for route in routes.sorted() {
            let versions = translations[route] ?? [:]
            guard multilingual, versions.count > 1 else {
                xml += "  <url><loc>\(address(route))</loc></url>\n"
                continue
            }
            xml += "  <url>\n    <loc>\(address(route))</loc>\n"
            for language in languages {
                if let target = versions[language.key] {
                    xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(HTML.escape(language.code))\" href=\"\(address(target))\"/>\n"
                }
            }
            if let main = versions[languages[0].key] {
                xml += "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"\(address(main))\"/>\n"
            }
            xml += "  </url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// A collection's records for reuse by others (`json:` in its declaration):
    /// `{"collection": NAME, "count": N, "records": [{"id": …, FIELD: VALUE, …, "path": …, "page_url": …}]}`,
    /// records in the data file's order, every declared field in the declaration's order (`null` when a
    /// record leaves it out). Values as declared: text and numbers as they are, localized and Markdown text
    /// always by language (`{"en": …, "zh": …}`, the languages it is given in), dates `YYYY-MM-DD`,
    /// year-months `YYYY-MM` (or `YYYY`), countries and enums by code, points `{"lat", "lon"}`, references by
    /// id. `path` (the record's page, relative to the site root) and `page_url` (absolute, with `base_url`)
    /// when records have pages.
    public static func collectionJSON(_ collection: LoadedCollection, languages: [String], baseURL: String?) -> String {
        let spec = collection.spec
        let records = collection.records.map { record -> String in
            var pairs: [(String, String?)] = [("id", JSONText.string(record.id))]
            for field in spec.fields where field.name != spec.idField {
                pairs.append((field.name, record.values[field.name].map { json($0, languages: languages) } ?? "null"))
            }
            if let pages = spec.recordPages {
                let path = RelativeURL.encodedPath(pages.route(of: record.id).dropFirst())
                pairs.append(("path", JSONText.string(path)))
                pairs.append(("page_url", baseURL.map { JSONText.string($0 + path) }))
            }
            return JSONText.object(pairs, indent: "")
        }
        return JSONText.object([
            ("collection", JSONText.string(spec.name)),
            ("count", String(collection.records.count)),
            ("records", JSONText.array(records, indent: "")),
        ], indent: "") + "\n"
    }

    static func json(_ value: FieldValue, languages: [String]) -> String {
        switch value {
        case .integer(let n): return String(n)
        case .number(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .localized(let main, let others), .markdown(let main, let others):
            // Always by language (the languages it is given in), so every record has the same shape.
            return JSONText.object([(languages.first ?? "", JSONText.string(main))]
                + languages.dropFirst().compactMap { key in others[key].map { (key, JSONText.string($0)) } })
        case .point(let latitude, let longitude):
            return JSONText.object([("lat", String(latitude)), ("lon", String(longitude))])
        case .list(let items):
            return JSONText.array(items.map { json($0, languages: languages) })
        default:
            return JSONText.string(value.text(in: ""))
        }
    }
}
