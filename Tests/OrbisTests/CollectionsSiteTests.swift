import Foundation
import Testing

/// A site with two collections — people from a spreadsheet's CSV, sessions from YAML naming their speakers —
/// in two languages, built through the real binary (`Fixtures/collections`).
@Suite struct CollectionsSiteTests {
    static func build(_ site: URL) throws -> (CLI.Result, URL) {
        let output = site.appendingPathComponent("Output")
        return (try CLI.run(["build", "--root", site.path]), output)
    }

    @Test func buildsEveryRecordListAndValuePageInEveryLanguage() throws {
        let site = try CLI.copyFixture("collections")
        defer { try? FileManager.default.removeItem(at: site) }
        let (result, output) = try Self.build(site)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Loaded 7 pages, 3 people, 2 sessions, 0 data files, 7 templates, 0 files to copy in "))
        let files = try CLI.files(in: output).keys.sorted()
        #expect(files == [
            "fr/index.html", "fr/people/ada/index.html", "fr/people/emmy/index.html", "fr/people/index.html", "fr/people/zhou/index.html",
            "fr/sessions/format/lecture/index.html", "fr/sessions/format/workshop/index.html", "fr/sessions/index.html",
            "fr/sessions/opening/index.html", "fr/sessions/scripts/index.html",
            "index.html", "people.json", "people/ada/index.html", "people/emmy/index.html", "people/index.html", "people/zhou/index.html",
            "robots.txt", "sessions.json", "sessions/format/lecture/index.html", "sessions/format/workshop/index.html",
            "sessions/index.html", "sessions/opening/index.html", "sessions/scripts/index.html",
        ])
    }

    @Test(arguments: ["people/index.html", "people/ada/index.html", "fr/people/ada/index.html", "sessions/index.html",
                      "sessions/opening/index.html", "fr/sessions/opening/index.html", "sessions/format/workshop/index.html", "fr/sessions/index.html",
                      "people.json", "sessions.json"])
    func matchesTheGoldenSnapshot(_ path: String) throws {
        let site = try CLI.copyFixture("collections")
        defer { try? FileManager.default.removeItem(at: site) }
        let (result, output) = try Self.build(site)
        #expect(result.status == 0, "\(result.stderr)")
        let actual = try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
        let golden = CLI.testsFolder.appendingPathComponent("Golden/collections/" + path)
        if ProcessInfo.processInfo.environment["ORBIS_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: golden, encoding: .utf8)),
                "\(path) differs from Golden/collections/\(path); re-record with ORBIS_RECORD_GOLDEN=1 make test and review the diff")
    }

    /// Mistakes in either source are all reported at once, each at its own file, row or line and column,
    /// and the site built before stays as it was.
    @Test func mistakesInBothSourcesAreReportedAtOnceAndTheOutputStays() throws {
        let site = try CLI.copyFixture("collections")
        defer { try? FileManager.default.removeItem(at: site) }
        #expect(try Self.build(site).0.status == 0)
        let before = try CLI.files(in: site.appendingPathComponent("Output"), withMarker: true)
        let csv = site.appendingPathComponent("Content/data/people.csv")
        try (try String(contentsOf: csv, encoding: .utf8)).replacingOccurrences(of: "zhou,Zhou Youguang,lecturer,CN", with: "zhou,Zhou Youguang,lectuer,China")
            .write(to: csv, atomically: true, encoding: .utf8)
        let yaml = site.appendingPathComponent("Content/data/sessions.yaml")
        try (try String(contentsOf: yaml, encoding: .utf8)).replacingOccurrences(of: "speakers: [zhou]", with: "speakers: [zhuo]")
            .replacingOccurrences(of: "date: 2026-07-07", with: "date: 2026-07-32")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let result = try CLI.run(["build", "--root", site.path])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "Content/data/people.csv:3:3: error: person 'zhou': 'role' must be one of organiser, lecturer, found \"lectuer\"; did you mean 'lecturer'?",
            "Content/data/people.csv:3:4: error: person 'zhou': 'country' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"China\"",
            "Content/data/sessions.yaml:10:9: error: session 'scripts': 'date' must be a real date YYYY-MM-DD, found \"2026-07-32\"",
            "error: build failed with 3 errors; nothing was written",
        ])
        #expect(try CLI.files(in: site.appendingPathComponent("Output"), withMarker: true) == before)
        // With the data fixed, the reference to a person who does not exist is what is left.
        try (try String(contentsOf: csv, encoding: .utf8)).replacingOccurrences(of: "lectuer,China", with: "lecturer,CN")
            .write(to: csv, atomically: true, encoding: .utf8)
        try (try String(contentsOf: yaml, encoding: .utf8)).replacingOccurrences(of: "2026-07-32", with: "2026-07-07")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let again = try CLI.run(["build", "--root", site.path])
        #expect(again.stderr.split(separator: "\n").first.map(String.init)
            == "Content/data/sessions.yaml:11:14: error: session 'scripts': 'speakers' names 'zhuo', which is no person; did you mean 'zhou'?")
    }
}
