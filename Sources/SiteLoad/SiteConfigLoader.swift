import SiteData
import SiteModel

/// Reads and validates `site.yaml`.
struct SiteConfigLoader {
    static let knownKeys: [String] = ["title", "description", "language", "base_url", "menu", "markdown", "links", "check", "languages", "params", "collections", "search"]
    static let languageKeys = ["code", "key", "name"]
    static let checkKeys = ["links", "html"]
    static let markdownKeys = ["unsafe_html", "smart_punctuation"]
    static let menuKeys = ["title", "page", "url"]

    static func load(_ text: String, file: String) throws(DiagnosticsError) -> SiteConfig {
        var diagnostics: [Diagnostic] = []
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw DiagnosticsError([.error(at: SourceLocation(file: file), "site.yaml is empty; add at least 'title: ...'")])
        }
        var fields = FieldReader(root, what: "site.yaml", diagnostics: &diagnostics)
        diagnostics += fields.unknownKeys(known: knownKeys)
        var config = SiteConfig()
        config.language = fields.string("language") ?? "en"
        config.languages = [Language(code: config.language, key: config.language.lowercased(), name: config.language)]
        if let node = fields.node("languages") {
            let languages = Self.languages(node, diagnostics: &diagnostics)
            if !languages.isEmpty {
                config.languages = languages
                config.language = languages[0].code
            }
        }
        let keys = config.languages.map(\.key)
        let (title, titles) = fields.localized("title", languages: keys, required: true)
        (config.title, config.titles) = (title ?? "", titles)
        (config.description, config.descriptions) = fields.localized("description", languages: keys)
        if let base = fields.string("base_url"), let node = fields.node("base_url") {
            if let problem = WebAddress.problem(base, allowed: .http) {
                diagnostics.append(.error(at: node.location,
                    "'base_url' \(base.debugDescription) is not an absolute http:// or https:// URL like https://example.org/: \(problem)"))
            } else {
                config.baseURL = base.hasSuffix("/") ? base : base + "/"
            }
        }
        if let node = fields.node("markdown") {
            var markdown = FieldReader(node, what: "'markdown'", diagnostics: &diagnostics)
            diagnostics += markdown.unknownKeys(known: markdownKeys)
            config.markdown.unsafeHTML = markdown.bool("unsafe_html") ?? false
            config.markdown.smartPunctuation = markdown.bool("smart_punctuation") ?? true
            diagnostics += markdown.diagnostics
        }
        if let style = fields.string("links"), let node = fields.node("links") {
            if let value = LinkStyle(rawValue: style) {
                config.links = value
            } else {
                diagnostics.append(.error(at: node.location,
                    "'links' must be 'portable' (links end in index.html; works from disk) or 'clean' (links end in /), found \"\(style)\""))
            }
        }
        if let node = fields.node("check") {
            var check = FieldReader(node, what: "'check'", diagnostics: &diagnostics)
            diagnostics += check.unknownKeys(known: checkKeys)
            for key in checkKeys {
                guard let text = check.string(key), let valueNode = check.node(key) else { continue }
                guard let severity = Diagnostic.Severity(rawValue: text) else {
                    diagnostics.append(.error(at: valueNode.location, "'check.\(key)' must be 'error' or 'warning', found \"\(text)\""))
                    continue
                }
                if key == "links" { config.check.links = severity } else { config.check.html = severity }
            }
            diagnostics += check.diagnostics
        }
        if let node = fields.node("collections") {
            config.collections = CollectionSpecReader.read(node, diagnostics: &diagnostics)
        }
        if let node = fields.node("menu") {
            config.menu = menu(node, languages: config.languages.map(\.key), diagnostics: &diagnostics)
        }
        if let node = fields.node("params") {
            config.params = params(node, diagnostics: &diagnostics)
        }
        if let search = fields.bool("search") { config.search = search }
        diagnostics += fields.diagnostics
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return config
    }

    /// `params:` — the extra front matter fields pages may have: `{country: text, featured: bool, tags: [text]}`.
    private static func params(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> [String: DeclaredField] {
        guard case .mapping(let pairs) = node.kind else {
            diagnostics.append(.error(at: node.location, "'params' must be a mapping of field names to types, like {country: text, featured: bool}; found \(node.typeName)"))
            return [:]
        }
        var result: [String: DeclaredField] = [:]
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            if PageLoader.knownFields.contains(name) {
                diagnostics.append(.error(at: pair.key.location, "'\(name)' is a built-in front matter field; declare only other fields under 'params:'"))
                continue
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                diagnostics.append(.error(at: pair.key.location, "a field name is letters, digits, '_' and '-' (templates read it as page.params.NAME), found \"\(name)\""))
                continue
            }
            if let field = FieldValueReader.declaration(key: pair.key, value: pair.value, diagnostics: &diagnostics) {
                if case .reference = field.type.item {
                    diagnostics.append(.error(at: pair.value.location, "a page's field cannot refer to records; list them with 'collections:' in its front matter"))
                    continue
                }
                result[name] = field
            }
        }
        return result
    }

    /// `languages:` — a list of `{code: zh-Hans, key: zh, name: 中文}`, the default language first.
    private static func languages(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> [Language] {
        guard case .sequence(let items) = node.kind, !items.isEmpty else {
            diagnostics.append(.error(at: node.location,
                "'languages' must be a list like [{code: en, name: English}, {code: zh-Hans, key: zh, name: 中文}], the default first"))
            return []
        }
        var result: [Language] = []
        for item in items {
            var fields = FieldReader(item, what: "a language", diagnostics: &diagnostics)
            diagnostics += fields.unknownKeys(known: languageKeys)
            let code = fields.string("code", required: true)
            let key = fields.string("key")
            let name = fields.string("name", required: true)
            diagnostics += fields.diagnostics
            guard let code, let name else { continue }
            let language = Language(code: code, key: key ?? code.lowercased(), name: name)
            if !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) || code.first?.isLetter != true {
                diagnostics.append(.error(at: fields.node("code")?.location ?? item.location,
                    "'code' must be a language tag like en, fr or zh-Hans, found \"\(code)\""))
            }
            if !language.key.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) || language.key.isEmpty {
                diagnostics.append(.error(at: fields.node("key")?.location ?? item.location,
                    "'key' must be lowercase letters, digits and '-' (it is used in file names and URLs), found \"\(language.key)\""))
            }
            if result.contains(where: { $0.key == language.key || $0.code == language.code }) {
                diagnostics.append(.error(at: item.location, "language '\(code)' (key '\(language.key)') is declared twice"))
            }
            result.append(language)
        }
        return result
    }

    private static func menu(_ node: YAMLNode, languages: [String], diagnostics: inout [Diagnostic]) -> [MenuEntry] {
        guard case .sequence(let items) = node.kind else {
            diagnostics.append(.error(at: node.location, "'menu' must be a list of pages, found \(node.typeName)"))
            return []
        }
        var entries: [MenuEntry] = []
        for item in items {
            if let path = item.scalarText {
                entries.append(MenuEntry(title: nil, target: .page(path), location: item.location))
                continue
            }
            var fields = FieldReader(item, what: "a menu item", diagnostics: &diagnostics)
            diagnostics += fields.unknownKeys(known: menuKeys)
            let (title, titles) = fields.localized("title", languages: languages)
            let page = fields.string("page")
            let url = fields.string("url")
            diagnostics += fields.diagnostics
            switch (page, url) {
            case let (page?, nil):
                var entry = MenuEntry(title: title, target: .page(page), location: item.location)
                entry.titles = titles
                entries.append(entry)
            case let (nil, url?):
                if let problem = WebAddress.problem(url, allowed: [.http, .mailto, .relative]) {
                    diagnostics.append(.error(at: fields.node("url")?.location ?? item.location, "menu item url \(url.debugDescription) cannot be published on every page: \(problem)"))
                } else if title == nil {
                    diagnostics.append(.error(at: item.location, "a menu item with 'url' needs a 'title'"))
                } else {
                    entries.append(MenuEntry(title: title, target: .url(url), location: item.location))
                }
            default:
                diagnostics.append(.error(at: item.location,
                    "a menu item needs exactly one of 'page' (a file in Content/, like about.md) or 'url'"))
            }
        }
        return entries
    }

}
