/// Everything loaded from a site's sources, validated and ready to render.
public struct Site: Sendable {
    public var config: SiteConfig
    /// All pages, sorted by route.
    public var pages: [Page]
    /// `Content/data/<name>.yaml` files by name.
    public var data: [(key: String, value: Value)]
    /// Validated partner records from `Content/data/partners.yaml`, in file order.
    public var partners: [Partner]
    public var templates: [TemplateSource]
    /// Files copied as they are: theme assets and non-Markdown files in `Content/`.
    public var assets: [AssetFile]
    /// Problems that do not stop the build (files left out, for instance).
    public var warnings: [Diagnostic] = []
    /// UI strings per language key, from `Templates/strings/<key>.yaml` (nested keys joined with `.`).
    public var strings: [String: StringTable] = [:]

    public init(config: SiteConfig, pages: [Page], data: [(key: String, value: Value)] = [],
                partners: [Partner] = [], templates: [TemplateSource], assets: [AssetFile] = []) {
        self.partners = partners
        self.config = config
        self.pages = pages
        self.data = data
        self.templates = templates
        self.assets = assets
    }

    /// The page whose Markdown source is `contentPath` (relative to `Content/`).
    public func page(atContentPath contentPath: String) -> Page? {
        pages.first { $0.contentPath == contentPath }
    }
}

/// A Mustache template file: `Templates/page.mustache` is named `page`, `Templates/partials/nav.mustache` is `nav`.
public struct TemplateSource: Sendable {
    public var name: String
    /// Path relative to the site root, for diagnostics.
    public var path: String
    public var text: String
    public var isPartial: Bool

    public init(name: String, path: String, text: String, isPartial: Bool) {
        self.name = name
        self.path = path
        self.text = text
        self.isPartial = isPartial
    }
}

/// A file copied into the output unchanged.
public struct AssetFile: Sendable, Hashable {
    /// Absolute or root-relative path to read from.
    public var sourcePath: String
    /// Path inside the output folder, e.g. `assets/style.css`.
    public var outputPath: String

    public init(sourcePath: String, outputPath: String) {
        self.sourcePath = sourcePath
        self.outputPath = outputPath
    }
}

/// One file the build writes: a rendered page or a generated text file.
public struct OutputFile: Sendable {
    /// Path inside the output folder, e.g. `programs/index.html`.
    public var path: String
    public var contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Array(text.utf8))
    }
}

/// The UI strings of one language, with where each was defined.
public struct StringTable: Sendable {
    public var file: String
    public var values: [String: String]

    public init(file: String, values: [String: String] = [:]) {
        self.file = file
        self.values = values
    }
}
