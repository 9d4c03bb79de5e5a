import SiteData
import SiteIO
import SiteModel

/// A problem with the environment rather than the content (no `Content/` folder, unreadable root):
/// the CLI exits with 2.
public struct SiteEnvironmentError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads a site's sources into a validated `Site`: `site.yaml`, `Content/**` (pages, data, files to copy)
/// and `Templates/**` (layouts, partials, assets).
public struct SiteLoader: Sendable {
    public var fileSystem: any FileSystem
    /// How many threads read and parse pages.
    public var threads: Int

    public init(fileSystem: any FileSystem, threads: Int = Parallelism.processors) {
        self.fileSystem = fileSystem
        self.threads = threads
    }

    /// Loads the site at `root`. Throws `SiteEnvironmentError` when the folders are missing and
    /// `DiagnosticsError` with every content problem found.
    public func load(root: String, includeDrafts: Bool = false, today: CalendarDate? = nil,
                     cache: PageCache? = nil) throws -> Site {
        let contentDir = joinPath(root, "Content")
        guard fileSystem.directoryExists(contentDir) else {
            throw SiteEnvironmentError("no Content/ folder in \(root); run orbis in a site's folder or pass --root DIR")
        }
        var diagnostics: [Diagnostic] = []

        // Everything else is read with the settings (languages, collections, declared fields): a broken site.yaml
        // is reported alone, since the rest would only repeat its consequences.
        let configPath = joinPath(root, "site.yaml")
        guard fileSystem.fileExists(configPath) else {
            throw DiagnosticsError([.error(at: SourceLocation(file: "site.yaml"), "site.yaml is missing; create it with at least 'title: My Site'")])
        }
        let configText = try readText(configPath, shown: "site.yaml")
        var config = try SiteConfigLoader.load(configText, file: "site.yaml")

        var pages: [Page] = []
        var data: [(key: String, value: Value)] = []
        var dataFiles: [String: DataFile] = [:]
        var assets: [AssetFile] = []
        var unloadable: Set<String> = []
        var drafts: Set<String> = []
        var warnings: [Diagnostic] = []
        let walk = try fileSystem.walk(contentDir)
        for (path, what) in walk.skipped where !Self.isEditorLeftover(path) {
            warnings.append(.warning(at: .file("Content/" + path), "is \(what), not a regular file or folder, so it is skipped"))
        }
        for link in walk.loops {
            diagnostics.append(.error(at: .file("Content/" + link),
                "is a symbolic link to a folder that contains it, which would repeat the site inside itself without end; remove the link"))
        }
        let listed = walk.files.filter { !Self.isEditorLeftover($0.path) }
        let files = listed.map(\.path)
        // Only a file reached through a symbolic link can be outside the site (when Content/ itself is
        // where it should be): only those are resolved. Markdown parsing runs on all cores, and the results
        // are used in file order, so the site is the same as a sequential load.
        let rootFolder = fileSystem.resolvingSymlinks(root) + "/"
        let contentInPlace = fileSystem.resolvingSymlinks(contentDir) + "/" == rootFolder + "Content/"
        let inside = parallelMap(listed, threads: threads) {
            contentInPlace && !$0.throughLink ? true : isInside(joinPath(contentDir, $0.path), rootFolder)
        }
        // A record's prose (`Content/people/ada.md`) may leave out its title: the record gives it.
        // (A collection declared in `Content/data/NAME.collection.yaml` is not read yet: its prose is in `NAME/`.)
        let proseFolders = Set(config.collections.compactMap { $0.recordPages?.prose }).union(files.compactMap { path in
            path.hasPrefix("data/") && path.hasSuffix(".collection.yaml") && !path.dropFirst(5).contains("/")
                ? String(path.dropFirst(5).dropLast(".collection.yaml".count)) : nil
        })
        // A page is parsed with the settings (languages, declared fields, smart punctuation) and the folders
        // of records' prose: parsed pages are kept only for the same ones (not for the same site.yaml: a
        // new menu entry or title parses no page again).
        let parseKey = Self.parseKey(config, proseFolders: proseFolders,
                                     declarations: files.filter { $0.hasPrefix("data/") && $0.hasSuffix(".collection.yaml") })
        cache?.beginLoad(parseKey: parseKey)
        cache?.keepOnly(Set(files))
        // Data files are parsed here too, beside the pages (on another core), and used in file order below.
        let loaded = parallelMap(files.count, threads: threads) { index -> LoadedFile? in
            let path = files[index]
            guard inside[index] else { return nil }
            if path.hasPrefix("data/"), Self.dataExtensions.contains(where: path.hasSuffix) {
                // `orbis serve`: a data file whose stamp has not changed is not parsed again.
                let name = String(path.dropFirst(5))
                let stamp = cache == nil ? nil : fileSystem.stamp(joinPath(contentDir, path))
                if let stamp, let cached = cache?.data(for: name, stamp: stamp) {
                    return .data(DataFile(path: name, node: cached.node, failed: cached.node == nil && !cached.problems.isEmpty), cached.problems)
                }
                let (file, problems) = parseData(name, contentDir: contentDir, defaultLanguage: config.defaultLanguage.key)
                if let stamp { cache?.storeData(file.failed ? nil : file.node, problems: problems, for: name, stamp: stamp) }
                return .data(file, problems)
            }
            guard path.hasSuffix(".md") else { return nil }
            let file = joinPath(contentDir, path)
            let stamp = cache == nil ? nil : fileSystem.stamp(file)
            if let cache, let stamp, let page = cache.page(for: path, stamp: stamp) { return .page(.success(page)) }
            do throws(DiagnosticsError) {
                let (contentPath, language) = Self.language(of: path, config: config)
                let bytes = try readBytes(file, shown: "Content/" + path)
                var page = try PageLoader.load(source: try SourceText.decode(bytes, file: "Content/" + path), contentPath: contentPath,
                                               sourcePath: "Content/" + path, params: config.params,
                                               titleRequired: !Self.mayBeProse(contentPath, in: proseFolders))
                page.sourceDigest = SHA256.short(bytes)
                page.language = language
                page.route = config.routePrefix(for: language) + page.route
                // Smartened before it is cached, so that each later load finds nothing to change in it.
                if config.markdown.smartPunctuation { Self.smartened(&page) }
                cache?.store(page, for: path, stamp: stamp)
                return .page(.success(page))
            } catch {
                return .page(.failure(error))
            }
        }
        pages.reserveCapacity(files.count)
        for (index, path) in files.enumerated() {
            guard inside[index] else {
                warnings.append(Self.outsideWarning("Content/" + path))
                continue
            }
            switch loaded[index] {
            case .page(.success(let page))?:
                if !page.draft || includeDrafts {
                    pages.append(page)
                } else if page.language == config.defaultLanguage.key {
                    drafts.insert(page.contentPath)
                }
            case .page(.failure(let error))?:
                diagnostics += error.diagnostics
                unloadable.insert(path)
            case .data(let file, let problems)?:
                dataFiles[file.path] = file
                diagnostics += problems
            case nil:
                assets.append(AssetFile(sourcePath: joinPath(contentDir, path), outputPath: path))
            }
        }
        // Collections declared one file each: `Content/data/NAME.collection.yaml`.
        for file in dataFiles.values.sorted(by: { $0.path < $1.path }) where file.path.hasSuffix(".collection.yaml") {
            guard let node = file.node else { continue }
            let name = String(file.path.dropLast(".collection.yaml".count))
            var problems: [Diagnostic] = []
            let specs = CollectionSpecReader.read(DataNode(kind: .mapping([(DataNode(kind: .scalar(name, plain: true), location: node.location), node)]),
                                                           location: node.location), diagnostics: &problems)
            diagnostics += problems
            for spec in specs {
                if let other = config.collections.first(where: { $0.name == spec.name }) {
                    diagnostics.append(.error(at: spec.location, "the collection '\(spec.name)' is also declared at \(other.location); keep one declaration"))
                } else {
                    config.collections.append(spec)
                }
            }
        }
        var (collections, rest, failedCollections, collectionProblems) = Self.loadCollections(config.collections, files: dataFiles, config: config)
        diagnostics += collectionProblems
        diagnostics += loadMapOutlines(&collections, root: root)
        for file in rest { data.append((String(file.path.split(separator: ".").first ?? ""), file.node?.value ?? .null)) }
        diagnostics += Self.attachProse(pages: &pages, collections: &collections, failed: failedCollections,
                                        defaultLanguage: config.defaultLanguage.key)
        diagnostics += Self.checkQueries(pages, collections: collections)
        for language in config.languages {
            let own = pages.filter { $0.language == language.key }
            let prefix = config.routePrefix(for: language.key)
            var generated = Self.generatedSectionPages(for: own)
            generated += Self.generatedListPages(for: collections, existing: own + generated)
            for var page in generated {
                page.language = language.key
                page.route = prefix + page.route
                pages.append(page)
            }
        }
        pages.sort { $0.route < $1.route }
        if config.markdown.smartPunctuation { Self.smartenText(&config, &pages, &collections) }
        diagnostics += Self.routeConflicts(in: pages)
        let prose = Set(collections.flatMap { collection in
            collection.spec.recordPages.map { pages in collection.records.map { "\(pages.prose)/\($0.id).md" } } ?? []
        })
        let references = Self.checkReferences(pages: pages, config: config, unloadable: unloadable.union(prose), drafts: drafts)
        diagnostics += references.filter { $0.severity == .error }
        warnings += references.filter { $0.severity == .warning }

        let (templates, themeAssets, templateProblems) = try loadTemplates(root: root)
        diagnostics += templateProblems.filter { $0.severity == .error }
        warnings += templateProblems.filter { $0.severity == .warning }
        for asset in themeAssets {
            if isInside(asset.sourcePath, rootFolder) {
                assets.append(asset)
            } else {
                warnings.append(Self.outsideWarning("Templates/" + asset.outputPath))
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw DiagnosticsError(diagnostics) }
        var site = Site(config: config, pages: pages, data: data, collections: collections, templates: templates,
                        assets: assets.sorted { $0.outputPath < $1.outputPath })
        site.warnings = warnings
        site.draftPaths = drafts
        site.strings = try loadStrings(root: root, config: config)
        Self.titleGeneratedListPages(&site)
        return site
    }

    /// `programs/ottawa.zh.md` → (`programs/ottawa.md`, `zh`) when `zh` is a language of the site; any other
    /// file is in the default language.
    /// What pages and data files are parsed with, as text: the languages (file suffixes, route prefixes, the
    /// default language of data), the fields declared for front matter, smart punctuation (titles are
    /// smartened as they are parsed), the folders of records' prose and the collections' declaration files.
    static func parseKey(_ config: SiteConfig, proseFolders: Set<String>, declarations: [String]) -> String {
        var key = "languages " + config.languages.map { JSONText.string($0.key) + "=" + JSONText.string($0.code) }.joined(separator: ",")
        key += "\nsmart " + String(config.markdown.smartPunctuation)
        key += "\nparams " + config.params.sorted { $0.key < $1.key }.map { JSONText.string($0.key) + "=" + $0.value.signature }.joined(separator: ",")
        key += "\nprose " + proseFolders.sorted().map(JSONText.string).joined(separator: ",")
        key += "\ndeclarations " + declarations.sorted().map(JSONText.string).joined(separator: ",")
        return key
    }

    static func language(of path: String, config: SiteConfig) -> (contentPath: String, language: String) {
        let stem = path.dropLast(3)
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") {
            let key = String(stem[stem.index(after: dot)...])
            if config.language(key: key) != nil { return (String(stem[..<dot]) + ".md", key) }
        }
        return (path, config.defaultLanguage.key)
    }

    /// `Templates/strings/<key>.yaml` for each language: nested mappings flattened to `a.b` keys.
    private func loadStrings(root: String, config: SiteConfig) throws(DiagnosticsError) -> [String: StringTable] {
        var tables: [String: StringTable] = [:]
        var diagnostics: [Diagnostic] = []
        for language in config.languages {
            let file = "Templates/strings/\(language.key).yaml"
            var table = StringTable(file: file)
            let path = joinPath(root, file)
            if fileSystem.fileExists(path) {
                do throws(DiagnosticsError) {
                    if let node = try YAMLDocument.parse(try readText(path, shown: file), file: file) {
                        Self.flatten(node, prefix: "", into: &table.values, diagnostics: &diagnostics)
                    }
                } catch {
                    diagnostics += error.diagnostics
                }
            }
            tables[language.key] = table
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return tables
    }

    static func flatten(_ node: YAMLNode, prefix: String, into values: inout [String: String], diagnostics: inout [Diagnostic]) {
        guard case .mapping(let pairs) = node.kind else {
            if let text = node.scalarText, !prefix.isEmpty {
                values[prefix] = text
            } else {
                diagnostics.append(.error(at: node.location, "a string table holds 'key: text' lines (nested keys allowed), found \(node.typeName)"))
            }
            return
        }
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            flatten(pair.value, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &values, diagnostics: &diagnostics)
        }
    }

    /// Whether `path`, once symbolic links are resolved, is inside `rootFolder` (resolved, ending in `/`).
    private func isInside(_ path: String, _ rootFolder: String) -> Bool {
        fileSystem.resolvingSymlinks(path).hasPrefix(rootFolder)
    }

    /// A symbolic link out of the site is never published: it could expose any file of the machine.
    static func outsideWarning(_ path: String) -> Diagnostic {
        .warning(at: .file(path), "is a symbolic link to a file outside the site, so it is not published; copy the file into the site instead")
    }

    /// A source file as text (see `SourceText`); problems are reported at `shown` (the path users know).
    func readText(_ path: String, shown: String? = nil) throws(DiagnosticsError) -> String {
        try SourceText.decode(try readBytes(path, shown: shown), file: shown ?? path)
    }

    func readBytes(_ path: String, shown: String? = nil) throws(DiagnosticsError) -> [UInt8] {
        do {
            return try fileSystem.readFile(path)
        } catch {
            let reason = (error as? FileSystemError)?.reason ?? "\(error)"
            throw DiagnosticsError([.error(at: SourceLocation(file: shown ?? path), reason)])
        }
    }

    /// The Markdown body of the page file at `sourcePath` (relative to `root`), for a page a build took
    /// from its record without its text (see `PageCache`). Nil when the file no longer reads as a page.
    public func body(ofPageAt sourcePath: String, root: String) -> String? {
        guard let text = try? readText(joinPath(root, sourcePath), shown: sourcePath),
              let split = try? FrontMatter.split(text, file: sourcePath) else { return nil }
        return split.body
    }

    /// Dotfiles are skipped by the walk; these are the other files editors leave behind.
    /// Whether `contentPath` (`people/ada.md`) is where a record's prose would be.
    static func mayBeProse(_ contentPath: String, in folders: Set<String>) -> Bool {
        guard let slash = contentPath.lastIndex(of: "/") else { return false }
        return folders.contains(String(contentPath[..<slash])) && !contentPath.hasSuffix("/index.md")
    }

    static func isEditorLeftover(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swo") || name.hasSuffix(".swx")
            || name.hasSuffix(".tmp") || (name.hasPrefix("#") && name.hasSuffix("#")) || name == "Thumbs.db"
    }

    /// A list page for every folder that holds pages but has no `index.md` of its own.
    static func generatedSectionPages(for pages: [Page]) -> [Page] {
        var folders = Set<String>()
        for page in pages {
            var parts = page.contentPath.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        let existing = Set(pages.compactMap(\.listsSection))
        return folders.subtracting(existing).sorted().map { folder in
            let name = folder.split(separator: "/").last.map(String.init) ?? folder
            let title = name.split(whereSeparator: { $0 == "-" || $0 == "_" })
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            let parent = folder.split(separator: "/").dropLast().joined(separator: "/")
            return Page(contentPath: folder + "/index.md", sourcePath: "Content/" + folder + "/", kind: .section,
                        section: parent, listsSection: folder, route: "/" + folder + "/", title: title,
                        isGenerated: true)
        }
    }

    static func routeConflicts(in pages: [Page]) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for (a, b) in zip(pages, pages.dropFirst()) where a.route == b.route {
            let how = Array(a.route.utf8) == Array(b.route.utf8) ? ""
                : " (their names are the same in two Unicode normalizations, NFC and NFD: one file on macOS and many hosts)"
            result.append(.error(at: SourceLocation(file: b.sourcePath),
                "this page and \(a.sourcePath) both want the URL \(a.route)\(how); rename one or give it another 'slug'"))
        }
        return result
    }

    /// Menu items and `list:` fields must name pages and sections that exist (the nearest one suggested).
    /// Pages that failed to load (`unloadable`) already have their own errors, so references to them are not
    /// reported again; a menu item whose default-language page is a draft is left out of the menu, with a
    /// warning naming it.
    static func checkReferences(pages: [Page], config: SiteConfig, unloadable: Set<String> = [],
                                drafts: Set<String> = []) -> [Diagnostic] {
        let contentPaths = Set(pages.map(\.contentPath)).union(unloadable)
        let defaultPaths = Set(pages.filter { $0.language == config.defaultLanguage.key }.map(\.contentPath)).union(unloadable)
        let sections = Set(pages.compactMap(\.listsSection))
        var result: [Diagnostic] = []
        for entry in config.menu {
            if case .page(let path) = entry.target {
                let normalized = path.split(separator: "/").joined(separator: "/")
                if drafts.contains(normalized) && !defaultPaths.contains(normalized) {
                    result.append(.warning(at: entry.location,
                        "menu item '\(path)' is a draft (draft: true), so it is left out of the menu; build with --drafts to see it"))
                } else if !contentPaths.contains(normalized) {
                    result.append(.error(at: entry.location, "menu item '\(path)' names no page"
                        + Suggestion.didYouMean(normalized, in: contentPaths.sorted(), otherwise: "; give a path relative to Content/, like about.md")))
                }
            }
        }
        for page in pages {
            if let list = page.list, !sections.contains(list) {
                let names = sections.filter { !$0.isEmpty }.sorted()
                result.append(.error(at: page.listLocation, "'list: \(list)' names no section"
                    + Suggestion.didYouMean(list, in: names, otherwise: "; use the name of a folder in Content/ (\(names.joined(separator: ", ")))")))
            }
        }
        return result
    }

    /// Layouts are `Templates/*.mustache`, partials `Templates/partials/**/*.mustache`, and
    /// `Templates/assets/**` is copied to `assets/`.
    private func loadTemplates(root: String) throws -> ([TemplateSource], [AssetFile], [Diagnostic]) {
        let dir = joinPath(root, "Templates")
        guard fileSystem.directoryExists(dir) else {
            return ([], [], [.error(at: SourceLocation(file: "Templates/"),
                "no Templates/ folder; add Templates/page.mustache (see the README's template section)")])
        }
        var templates: [TemplateSource] = []
        var assets: [AssetFile] = []
        var diagnostics: [Diagnostic] = []
        var seen: [String: String] = [:]
        let walk = try fileSystem.walk(dir)
        for (path, what) in walk.skipped where !Self.isEditorLeftover(path) {
            diagnostics.append(.warning(at: .file("Templates/" + path), "is \(what), not a regular file or folder, so it is skipped"))
        }
        for link in walk.loops {
            diagnostics.append(.error(at: .file("Templates/" + link),
                "is a symbolic link to a folder that contains it, which would repeat the theme inside itself without end; remove the link"))
        }
        for path in walk.files.map(\.path) where !Self.isEditorLeftover(path) {
            if path.hasPrefix("assets/") {
                assets.append(AssetFile(sourcePath: joinPath(dir, path), outputPath: path))
                continue
            }
            guard path.hasSuffix(".mustache") else { continue }
            let isPartial = path.hasPrefix("partials/")
            let stem = String(path.dropLast(".mustache".count))
            let name = isPartial ? String(stem.dropFirst("partials/".count)) : stem
            let sourcePath = "Templates/" + path
            if let other = seen[name] {
                diagnostics.append(.error(at: SourceLocation(file: sourcePath),
                    "template name '\(name)' is also used by \(other); rename one of them"))
                continue
            }
            seen[name] = sourcePath
            let text: String
            do throws(DiagnosticsError) { text = try readText(joinPath(dir, path), shown: sourcePath) } catch {
                diagnostics += error.diagnostics
                continue
            }
            templates.append(TemplateSource(name: name, path: sourcePath, text: text, isPartial: isPartial))
        }
        return (templates, assets, diagnostics)
    }
}

/// What loading one file of `Content/` gave: a page (or why it could not be read), a data file, or nothing
/// (an asset, copied as it is).
private enum LoadedFile {
    case page(Result<Page, DiagnosticsError>)
    case data(SiteLoader.DataFile, [Diagnostic])
}
