import Foundation
import Logging
import SiteBuild

/// One fuzz input built as a site, entirely in memory: the bytes are split at NUL bytes into a page (front
/// matter and Markdown), a layout, collection data (YAML, CSV or JSON, by how it looks) and extra site.yaml lines, each falling back to a plain valid
/// one when absent, so that the fuzzer spends its time inside each format. Any content error is a fine
/// outcome; what must never happen is a crash, a trap or a hang.
public enum FuzzHarness {
    public enum Outcome: Equatable, Sendable {
        case built
        case contentErrors
        case refused
    }

    static let defaults: [String] = [
        "---\ntitle: Home\n---\n# Home\n\nSee [about](about.md).\n",
        "<!doctype html><html lang=\"{{lang}}\"><title>{{page.title}}</title><body>{{{page.content}}}{{#menu}}<a href=\"{{url}}\">{{title}}</a>{{/menu}}</body></html>",
        "- id: lyon\n  name: University of Lyon\n  country: FR\n  city: Lyon\n",
        "",
    ]

    /// The site the input makes, as files of an in-memory file system.
    public static func files(for input: [UInt8]) -> [String: [UInt8]] {
        var parts = input.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).map(Array.init)
        while parts.count < 4 { parts.append(Array(defaults[parts.count].utf8)) }
        return [
            "/site/site.yaml": Array((siteYAML).utf8) + parts[3],
            "/site/Content/index.md": parts[0],
            "/site/Content/about.md": Array("---\ntitle: About\n---\nAbout.\n".utf8),
            "/site/Templates/page.mustache": parts[1],
            "/site/Templates/partner.mustache": parts[1],
            "/site/Content/data/partners." + dataFormat(parts[2]): parts[2],
        ]
    }

    /// What the collection data looks like: JSON (starts with `[` or `{`), CSV (a first line with a comma or
    /// semicolon and no colon), else YAML — so each reader gets inputs it can accept.
    static func dataFormat(_ bytes: [UInt8]) -> String {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") { return "json" }
        let line = bytes.prefix { $0 != 0x0A }
        if (line.contains(UInt8(ascii: ",")) || line.contains(UInt8(ascii: ";"))) && !line.contains(UInt8(ascii: ":")) { return "csv" }
        return "yaml"
    }

    /// A collection with fields of every type, and a second one referring to it.
    static let siteYAML = """
        title: Fuzz
        menu:
          - index.md
        collections:
          partners:
            fields:
              name: {type: localized, required: true}
              country: country
              city: localized
              kind: {type: enum, values: [university, faculty]}
              areas: {type: [enum], values: [nursing, pharmacy]}
              since: year-month
              founded: date
              website: url
              email: email
              location: point
              rank: integer
              score: number
              open: bool
              note: markdown
              tags: [text]
              code: slug
              parent: {type: ref, to: partners}
            pages: {layout: partner}
            list: {route: /partners/, sort: [name], group: country}
            by:
              areas: /partners/areas/{value}/
            json: partners.json
            json_ld: {name: name, sameAs: website}

        """

    /// Builds the site `input` makes into `/site/Output`, in memory.
    public static func run(_ input: [UInt8]) -> Outcome {
        let fileSystem = InMemoryFileSystem()
        for (path, bytes) in files(for: input) {
            try? fileSystem.createDirectory(String(path[..<path.lastIndex(of: "/")!]))
            try? fileSystem.writeFile(path, bytes)
        }
        let builder = SiteBuilder(options: BuildOptions(root: "/site", jobs: 1), fileSystem: fileSystem,
                                  logger: Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() })
        do {
            _ = try builder.build()
            return .built
        } catch is DiagnosticsError {
            return .contentErrors
        } catch {
            return .refused
        }
    }
}
