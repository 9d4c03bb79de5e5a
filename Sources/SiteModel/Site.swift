/// Everything loaded from a site's sources, validated and ready to render.
public struct Site: Sendable {
    public var config: SiteConfig
    /// All pages, sorted by route.
    public var pages: [Page]
    /// `Content/data/<name>.yaml` files by name.
    public var data: [(key: String, value: Value)]
    /// The collections the site declares, with their validated records.
    public var collections: [LoadedCollection]
    public var templates: [TemplateSource]
    /// Files copied as they are: theme assets and non-Markdown files in `Content/`.
    public var assets: [AssetFile]
    /// Problems that do not stop the build (files left out, for instance).
    public var warnings: [Diagnostic] = []
    /// Content paths of the pages left out as drafts (`draft: true`, without `--drafts`).
    public var draftPaths: Set<String> = []
    /// UI strings per language key, from `Templates/strings/<key>.yaml` (nested keys joined with `.`).
    public var strings: [String: StringTable] = [:]

    public init(config: SiteConfig, pages: [Page], data: [(key: String, value: Value)] = [],
                collections: [LoadedCollection] = [], templates: [TemplateSource], assets: [AssetFile] = []) {
        self.collections = collections
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

    public func collection(_ name: String) -> LoadedCollection? {
        collections.first { $0.spec.name == name }
    }

    /// Moves every Markdown body out — of the pages and of the records' prose — by source path, leaving
    /// them empty here (so that the text can be let go without every copy of the pages).
    public mutating func takeBodies() -> [String: String] {
        var bodies: [String: String] = [:]
        func take(_ page: inout Page) {
            bodies[page.sourcePath] = page.body
            page.body = ""
        }
        for index in pages.indices { take(&pages[index]) }
        for c in collections.indices {
            for r in collections[c].records.indices {
                for key in collections[c].records[r].prose.keys { take(&collections[c].records[r].prose[key]!) }
            }
        }
        return bodies
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

/// One file the build writes: a rendered page or a generated text file. A page keeps its HTML as the
/// `String` it was rendered to, so the build never holds a second copy of the site as bytes.
public struct OutputFile: Sendable {
    enum Storage: Sendable {
        case bytes([UInt8])
        case text(String)
    }

    /// Path inside the output folder, e.g. `programs/index.html`.
    public var path: String
    var storage: Storage

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.storage = .bytes(contents)
    }

    public init(path: String, text: String) {
        self.path = path
        self.storage = .text(text)
    }

    public var count: Int {
        switch storage {
        case .bytes(let bytes): bytes.count
        case .text(let text): text.utf8.count
        }
    }

    /// Calls `body` with the file's bytes, without copying them.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .bytes(let bytes):
            return try bytes.withUnsafeBytes(body)
        case .text(var text):
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
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
