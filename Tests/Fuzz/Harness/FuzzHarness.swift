import Foundation
import Logging
import SiteBuild

/// One fuzz input built as a site, entirely in memory: the bytes are split at NUL bytes into a page (front
/// matter and Markdown), a layout, partner data and extra site.yaml lines, each falling back to a plain valid
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
            "/site/site.yaml": Array("title: Fuzz\nmenu:\n  - index.md\n".utf8) + parts[3],
            "/site/Content/index.md": parts[0],
            "/site/Content/about.md": Array("---\ntitle: About\n---\nAbout.\n".utf8),
            "/site/Templates/page.mustache": parts[1],
            "/site/Templates/partner.mustache": parts[1],
            "/site/Content/data/partners.yaml": parts[2],
        ]
    }

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
