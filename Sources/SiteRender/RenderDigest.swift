import SiteModel

/// Everything that decides a page's HTML, as one SHA-256, so that a rebuild can reuse the page of the last
/// build instead of rendering it again when nothing it is made of changed. Rendering is a pure function of
/// the templates, the page's context and its Markdown body (with the routes its links resolve to), so the
/// digest covers exactly those: what every page of a language shares (`RenderDigest.shared`: templates,
/// strings, data, the site's settings) once, and per page its Markdown source, its layout, where it is, and
/// its context as the renderer built it — its own fields, the menu, the lists it shows, breadcrumbs,
/// languages. A title edited elsewhere changes the digests of exactly the pages whose context shows that
/// title. What the Markdown's links resolve to is not in the digest: `PageRenderer.render` resolves each
/// link of the last version again and reuses it only if every one leads where it led.
struct RenderDigest {
    private var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    var hex: String { SHA256.hex(bytes) }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            addLength(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func add(_ number: Int) { addLength(number) }

    private mutating func addLength(_ count: Int) {
        withUnsafeBytes(of: UInt64(bitPattern: Int64(count)).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func tag(_ letter: Unicode.Scalar) { bytes.append(UInt8(ascii: letter)) }

    /// A context value: text, numbers, true/false, absent, and lists and mappings of them (keys sorted).
    mutating func add(_ value: TemplateValue) {
        switch value {
        case .text(let text):
            tag("s"); add(text)
        case .bool(let flag):
            tag(flag ? "T" : "F")
        case .int(let number):
            tag("i"); add(number)
        case .double(let number):
            tag("d"); add(Int(bitPattern: UInt(number.bitPattern)))
        case .object(let mapping):
            add(mapping)
        case .list(let list):
            tag("l"); add(list.count)
            for item in list { add(item) }
        case .absent:
            tag("n")
        }
    }

    mutating func add(_ mapping: TemplateContext) {
        tag("m"); add(mapping.count)
        for key in mapping.keys.sorted() {
            add(key)
            add(mapping[key]!)
        }
    }

    /// What every page of `renderer`'s language shares: the templates, the string table, the data and the
    /// site's settings.
    /// Hashed once: each page's digest takes this SHA-256, not the templates again.
    static func shared(_ renderer: PageRenderer) -> String {
        var digest = RenderDigest(capacity: 1 << 16)
        let site = renderer.site
        digest.add("orbis-render-1")
        for template in site.templates {
            digest.add(template.path)
            digest.add(template.text)
        }
        digest.add(renderer.siteContext)
        digest.add(renderer.data)
        digest.add(renderer.strings.context)
        digest.add(renderer.language.code)
        digest.add(renderer.language.key)
        digest.add("\(site.config.markdown)")
        digest.add("\(site.config.links)")
        digest.add(site.config.baseURL ?? "")
        return digest.hex
    }

    /// The digest of one rendered page (`route`) of `page`, whose context (without its Markdown, which
    /// `source` stands for) is `context`.
    static func page(shared: String, layout: String, route: String, page: Page, source: String,
                     context: TemplateContext, translations: [String: String]) -> String {
        var digest = RenderDigest()
        digest.add(shared)
        digest.add(layout)
        digest.add(route)
        digest.add(page.sourcePath)
        digest.add(page.bodyLine)
        digest.add(source)
        // What the shared part covers is left out here: it is the same in every page.
        var own = context
        for key in ["site", "data", "t", "lang"] { own.removeValue(forKey: key) }
        digest.add(own)
        digest.add(translations.mapValues { .text($0) })
        return digest.hex
    }
}
