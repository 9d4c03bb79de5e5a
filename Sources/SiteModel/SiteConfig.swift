/// The settings in `site.yaml`.
public struct SiteConfig: Sendable {
    public var title: String
    public var description: String?
    /// `title` and `description` in other languages, by language key.
    public var titles: [String: String] = [:]
    public var descriptions: [String: String] = [:]
    public var language: String
    /// Absolute base URL (`https://example.org/global/`), used only where a standard needs absolute URLs.
    public var baseURL: String?
    public var menu: [MenuEntry]
    public var markdown: MarkdownOptions
    /// The collections the site declares (`collections:` in `site.yaml`, and `Content/data/*.collection.yaml`).
    public var collections: [CollectionSpec] = []
    /// The site's languages, the default first (`languages:` in `site.yaml`; one language, `language`, if absent).
    public var languages: [Language] = [Language(code: "en", key: "en", name: "English")]
    /// How links to pages are written (`links:` in `site.yaml`).
    public var links: LinkStyle = .portable
    /// How serious each kind of problem the output check finds is (`check:` in `site.yaml`).
    public var check: CheckOptions = .init()
    /// The front matter fields pages may have besides the built-in ones (`params:` in `site.yaml`), by name;
    /// templates see them as `page.params.NAME`.
    public var params: [String: DeclaredField] = [:]
    /// `search: true`: the build writes a search index of every page's `<main>`, per language (`search/`).
    public var search = false

    public init(title: String = "", description: String? = nil, language: String = "en",
                baseURL: String? = nil, menu: [MenuEntry] = [], markdown: MarkdownOptions = .init()) {
        self.title = title
        self.description = description
        self.language = language
        self.baseURL = baseURL
        self.menu = menu
        self.markdown = markdown
    }
}

/// One item of the site menu: a page of the site (by its Markdown source) or an external URL.
public struct MenuEntry: Sendable {
    public enum Target: Sendable, Hashable {
        /// A path relative to `Content/`, such as `programs/ottawa.md`.
        case page(String)
        case url(String)
    }

    /// The label; for pages it defaults to the page's title.
    public var title: String?
    /// The label in other languages, by language key (`title: {en: Overview, zh: 概览}`); a language without
    /// one uses the page's title in that language.
    public var titles: [String: String] = [:]
    public var target: Target
    public var location: SourceLocation

    public init(title: String?, target: Target, location: SourceLocation) {
        self.title = title
        self.target = target
        self.location = location
    }
}

/// How Markdown is rendered.
public struct MarkdownOptions: Sendable, Hashable {
    /// Pass raw HTML written in Markdown through (otherwise it is omitted).
    public var unsafeHTML: Bool
    /// Curly quotes, dashes and ellipses.
    public var smartPunctuation: Bool
    /// Give every heading a unique `id`.
    public var headingIDs: Bool
    /// Rewrite links to `.md` sources into page URLs.
    public var rewriteLinks: Bool

    public init(unsafeHTML: Bool = false, smartPunctuation: Bool = true, headingIDs: Bool = true,
                rewriteLinks: Bool = true) {
        self.unsafeHTML = unsafeHTML
        self.smartPunctuation = smartPunctuation
        self.headingIDs = headingIDs
        self.rewriteLinks = rewriteLinks
    }
}

/// One language of the site.
public struct Language: Sendable, Hashable {
    /// BCP 47 tag for `lang` and `hreflang`: `en`, `zh-Hans`, `fr`.
    public var code: String
    /// The short key in file names (`ottawa.zh.md`), URL prefixes (`/zh/`) and string tables (`zh.yaml`).
    public var key: String
    /// The language's own name, for the language switcher: `English`, `中文`.
    public var name: String

    public init(code: String, key: String, name: String) {
        self.code = code
        self.key = key
        self.name = name
    }
}

extension SiteConfig {
    /// The default language: its pages live at `/`.
    public var defaultLanguage: Language { languages[0] }

    public func language(key: String) -> Language? { languages.first { $0.key == key } }

    /// `""` for the default language, `/zh` for the others: what comes before a page's route.
    public func routePrefix(for key: String) -> String { key == defaultLanguage.key ? "" : "/" + key }
}

/// How links to pages are written.
public enum LinkStyle: String, Sendable, CaseIterable {
    /// `../people/index.html`: works from disk (`file://`) and on hosts without directory indexes
    /// (S3 REST endpoints, some CDNs), as well as on every ordinary web server.
    case portable
    /// `../people/`: cleaner addresses; needs a server that maps folders to `index.html`.
    case clean
}

/// How serious the problems found by the output check are.
public struct CheckOptions: Sendable, Hashable {
    /// Internal links or `#fragments` that lead nowhere (errors by default: they fail the build).
    public var links: Diagnostic.Severity = .error
    /// Duplicate ids, images without `alt`, pages without `<title>` or `lang` (warnings by default).
    public var html: Diagnostic.Severity = .warning

    public init(links: Diagnostic.Severity = .error, html: Diagnostic.Severity = .warning) {
        self.links = links
        self.html = html
    }
}
