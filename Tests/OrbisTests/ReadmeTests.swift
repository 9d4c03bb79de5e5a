import Foundation
import Testing

/// What the README shows is what Orbis does.
@Suite struct ReadmeTests {
    /// The README's example build output is this repository's site's: the same lines, the same counts
    /// (times, sizes and paths differ from machine to machine and are compared as placeholders).
    @Test func theBuildOutputInTheReadmeIsWhatBuildingThisSitePrints() throws {
        let readme = try String(contentsOf: GlobalVisionSiteTests.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("  Loaded ") }, "the README has no example build output")
        let end = try #require(lines[start...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "```" })
        let shown = lines[start..<end].map { $0.trimmingCharacters(in: .whitespaces) }

        let (result, output) = try GlobalVisionSiteTests.build()
        defer { GlobalVisionSiteTests.remove(output) }
        #expect(result.status == 0, "\(result.stderr)")
        let printed = result.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(shown.map(Self.placeholders) == printed.map(Self.placeholders))
        #expect(shown.count == 7)
    }

    static func placeholders(_ line: String) -> String {
        var text = line
        for (pattern, replacement) in [(#"[0-9.]+ (ms|s)\b"#, "TIME"), (#"[0-9.]+ (KB|MB|bytes)"#, "SIZE"),
                                       (#"into \S+ in"#, "into OUTPUT in"), (#"manifest: \S+"#, "manifest: MANIFEST")] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }
}
