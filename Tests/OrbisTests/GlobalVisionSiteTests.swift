import Foundation
import Testing

/// The site in this repository, built through the CLI exactly as `make site` does (into a temporary folder).
@Suite struct GlobalVisionSiteTests {
    static let repository = CLI.testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    static func build() throws -> (CLI.Result, URL) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-gv-\(UUID().uuidString)")
        return (try CLI.run(["build", "--root", repository.path, "--output", output.path]), output)
    }

    @Test func buildsWithEveryPageAndPartner() throws {
        let (result, output) = try Self.build()
        defer { try? FileManager.default.removeItem(at: output) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Loaded 6 pages, 12 partners, 0 data files,"))
        let files = try CLI.files(in: output)
        for path in ["index.html", "partners/index.html", "partners.json", "404.html", "robots.txt",
                     "programs/sino-french/index.html", "programs/ottawa-shanghai/index.html", "programs/study-tours/index.html",
                     "partners/areas/nursing/index.html"] {
            #expect(files[path] != nil, "missing \(path)")
        }
        let partnerPages = files.keys.filter { $0.hasPrefix("partners/") && $0.hasSuffix("/index.html") && !$0.contains("areas/") }
        #expect(partnerPages.count == 13) // 12 partners + the list
        let home = String(decoding: files["index.html"] ?? Data(), as: UTF8.self)
        #expect(home.contains(#"<a href="partners/index.html">See our partners</a>"#))
        let france = String(decoding: files["programs/sino-french/index.html"] ?? Data(), as: UTF8.self)
        #expect(france.contains("University of Rouen"))
        #expect(!france.contains("University of Ottawa"))
    }

    @Test(arguments: ["partners/index.html", "partners/ottawa-medicine/index.html", "partners/strasbourg/index.html"])
    func matchesTheGoldenSnapshot(_ path: String) throws {
        let (result, output) = try Self.build()
        defer { try? FileManager.default.removeItem(at: output) }
        #expect(result.status == 0)
        let actual = try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
        let golden = CLI.testsFolder.appendingPathComponent("Golden/global-vision/" + path)
        if ProcessInfo.processInfo.environment["ORBIS_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOf: golden, encoding: .utf8)),
                "\(path) differs from Golden/global-vision/\(path); re-record with ORBIS_RECORD_GOLDEN=1 make test and review the diff")
    }
}
