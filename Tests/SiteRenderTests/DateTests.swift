import SiteModel
import Testing
@testable import SiteRender

/// Dates as other generators write them in front matter: a date, or a date and time (RFC 3339, Jekyll's).
@Suite struct DateTests {
    @Test(arguments: [
        ("2021-01-03", "2021-01-03", nil),
        ("2021-01-03T15:34:00+00:00", "2021-01-03", 1_609_688_040),
        ("2021-01-03T15:34:00Z", "2021-01-03", 1_609_688_040),
        ("2021-01-03T23:34:00.250+08:00", "2021-01-03", 1_609_688_040),
        ("2021-01-03 10:34:00 -0500", "2021-01-03", 1_609_688_040),   // Jekyll
        ("2021-01-03t15:34z", "2021-01-03", 1_609_688_040),
        ("2021-01-03 15:34", "2021-01-03", 1_609_688_040),             // no zone: UTC
        ("1969-12-31T23:59:59Z", "1969-12-31", -1),
    ] as [(String, String, Int64?)])
    func datesAndTimesParse(text: String, date: String, instant: Int64?) throws {
        let parsed = try #require(CalendarDate(text), "\(text)")
        #expect(parsed.description == date)
        #expect(parsed.instant == instant)
    }

    @Test(arguments: ["2021-02-29T10:00:00Z", "2021-01-03T24:00:00Z", "2021-01-03T15:60Z", "2021-01-03T15:34:00+25:00",
                      "2021-01-03T15:34:00+0", "2021-01-03X15:34", "2021-01-03T", "2021-01-03T15:34:00 UTC", "2021-1-03"])
    func nearMissesDoNot(text: String) {
        #expect(CalendarDate(text) == nil, "\(text)")
    }

    @Test func pagesShowTheDateInTheSitesLanguageAndSortByTheInstant() throws {
        let html = try render([
            "site.yaml": "title: T\nlanguages: [{code: en, name: English}, {code: zh-Hans, key: zh, name: 中文}]\n",
            "Content/news/index.md": "---\ntitle: News\n---\n",
            // The same day: the later instant first (newest first), whatever the zones say.
            "Content/news/a.md": "---\ntitle: Morning in Shanghai\ndate: 2021-01-03T09:00:00+08:00\n---\n",
            "Content/news/b.md": "---\ntitle: Afternoon in Paris\ndate: 2021-01-03 15:34:00 +0100\n---\n",
            "Content/news/c.md": "---\ntitle: The day before\ndate: 2021-01-02\n---\n",
            "Content/news/a.zh.md": "---\ntitle: 上海的早晨\ndate: 2021-01-03T09:00:00+08:00\n---\n",
            "Templates/section.mustache": "{{#pages}}{{title}} ({{date}}, {{date_display}});{{/pages}}",
            "Templates/strings/zh.yaml": "date:\n  long: \"{year}年{month_number}月{day}日\"\n",
        ])
        #expect(html["/news/"] == "Afternoon in Paris (2021-01-03, 3 January 2021);Morning in Shanghai (2021-01-03, 3 January 2021);The day before (2021-01-02, 2 January 2021);")
        #expect(html["/zh/news/"]?.hasPrefix("上海的早晨 (2021-01-03, 2021年1月3日);") == true)
    }

    @Test func aTimeThatIsNotRealIsAnErrorSayingWhatIsAccepted() {
        #expect(renderErrors(["Content/a.md": "---\ntitle: A\ndate: 2021-01-03T25:00:00Z\n---\n"]) == [
            #"Content/a.md:3:7: error: 'date' must be a real date and time like 2021-01-03T15:34:00+00:00 (RFC 3339; or a date, YYYY-MM-DD), found "2021-01-03T25:00:00Z""#])
    }
}
