import SiteCheck
import SiteIO
import SiteModel

/// Bytes written for a build record, and for the digests that say what a site is made of: numbers as
/// variable-length integers, text as its length and UTF-8, lists as their count and items. The same
/// writer makes both, so a digest is the SHA-256 of exactly what would be written. A record's writer
/// `interns` text: each distinct text is kept once (`strings`) and written as its number (a route, a
/// file's path or a read appears many times in a record).
struct RecordWriter {
    private(set) var bytes: [UInt8] = []
    private let interns: Bool
    private var numbers: [String: Int] = [:]
    /// The distinct texts written, in the order of their numbers (with `interns`).
    private(set) var strings: [String] = []

    init(capacity: Int = 4096, interns: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.interns = interns
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Zigzag, seven bits a byte.
    mutating func int(_ value: Int) {
        var rest = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func int64(_ value: Int64) { int(Int(value)) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ value: String) {
        if interns {
            if let number = numbers[value] { return int(number) }
            numbers[value] = strings.count
            int(strings.count)
            strings.append(value)
            return
        }
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// Text that is seldom written twice (a title, a description, a value): written out, never interned.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func digest(_ value: ShortDigest) {
        withUnsafeBytes(of: value.high.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: value.low.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func optional<T>(_ value: T?, _ write: (inout RecordWriter, T) -> Void) {
        guard let value else { return bool(false) }
        bool(true)
        write(&self, value)
    }

    mutating func list<T>(_ items: [T], _ write: (inout RecordWriter, T) -> Void) {
        int(items.count)
        for item in items { write(&self, item) }
    }

    mutating func strings(_ items: [String]) { list(items) { $0.string($1) } }

    /// A dictionary, its keys sorted (the same bytes whatever order it was filled in).
    mutating func map<T>(_ items: [String: T], _ write: (inout RecordWriter, T) -> Void) {
        int(items.count)
        for key in items.keys.sorted() {
            string(key)
            write(&self, items[key]!)
        }
    }

    var sha256: String { SHA256.hex(bytes) }
    var short: ShortDigest { SHA256.short(bytes) }
}

/// Reads what `RecordWriter` wrote; any byte out of place is `RecordReader.Damaged` (the record is then
/// not used).
struct RecordReader {
    struct Damaged: Error {}

    private let bytes: [UInt8]
    private var at = 0
    /// The texts a record's table holds, which `string()` reads by number.
    private var table: [String]?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads the table of texts (written by an interning `RecordWriter`); later texts are read by number.
    mutating func readTable() throws(Damaged) {
        let count = try count()
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count { strings.append(try string()) }
        table = strings
    }

    var atEnd: Bool { at == bytes.count }
    /// How many bytes have been read.
    var position: Int { at }

    mutating func byte() throws(Damaged) -> UInt8 {
        guard at < bytes.count else { throw Damaged() }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func int() throws(Damaged) -> Int {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Damaged() }
            value |= UInt64(next & 0x7f) << shift
            if next < 0x80 { break }
            shift += 7
        }
        let decoded = Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        return Int(decoded)
    }

    mutating func int64() throws(Damaged) -> Int64 { Int64(try int()) }

    mutating func count() throws(Damaged) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count - at else { throw Damaged() }
        return value
    }

    mutating func bool() throws(Damaged) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Damaged()
        }
    }

    mutating func double() throws(Damaged) -> Double {
        guard at + 8 <= bytes.count else { throw Damaged() }
        var pattern: UInt64 = 0
        for index in 0..<8 { pattern |= UInt64(bytes[at + index]) << (8 * UInt64(index)) }
        at += 8
        return Double(bitPattern: pattern)
    }

    mutating func string() throws(Damaged) -> String {
        if let table {
            let number = try int()
            guard number >= 0, number < table.count else { throw Damaged() }
            return table[number]
        }
        let length = try count()
        defer { at += length }
        return String(decoding: bytes[at..<(at + length)], as: UTF8.self)
    }

    mutating func text() throws(Damaged) -> String {
        let length = try count()
        defer { at += length }
        return String(decoding: bytes[at..<(at + length)], as: UTF8.self)
    }

    mutating func digest() throws(Damaged) -> ShortDigest {
        guard at + 16 <= bytes.count else { throw Damaged() }
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<8 {
            high |= UInt64(bytes[at + index]) << (8 * UInt64(index))
            low |= UInt64(bytes[at + 8 + index]) << (8 * UInt64(index))
        }
        at += 16
        return ShortDigest(high: high, low: low)
    }

    mutating func optional<T>(_ read: (inout RecordReader) throws(Damaged) -> T) throws(Damaged) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func list<T>(_ read: (inout RecordReader) throws(Damaged) -> T) throws(Damaged) -> [T] {
        let count = try count()
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try read(&self)) }
        return items
    }

    mutating func strings() throws(Damaged) -> [String] { try list { r throws(Damaged) in try r.string() } }

    mutating func map<T>(_ read: (inout RecordReader) throws(Damaged) -> T) throws(Damaged) -> [String: T] {
        let count = try count()
        var items: [String: T] = [:]
        items.reserveCapacity(count)
        for _ in 0..<count {
            let key = try string()
            items[key] = try read(&self)
        }
        return items
    }
}

// The values a record holds, each written and read in one place.

extension RecordWriter {
    mutating func location(_ value: SourceLocation) {
        string(value.file)
        int(value.line)
        int(value.column)
    }

    mutating func stamp(_ value: FileStamp) {
        int(value.size)
        int64(value.modified)
        int64(value.changed)
        int(Int(bitPattern: UInt(value.inode)))
    }

    mutating func date(_ value: CalendarDate) {
        int(value.year)
        int(value.month)
        int(value.day)
        optional(value.instant) { $0.int64($1) }
    }

    mutating func value(_ value: Value) {
        switch value {
        case .null: byte(0)
        case .bool(let flag): byte(1); bool(flag)
        case .int(let number): byte(2); int(number)
        case .double(let number): byte(3); double(number)
        case .string(let value): byte(4); text(value)
        case .array(let items): byte(5); list(items) { $0.value($1) }
        case .object(let pairs):
            byte(6)
            list(pairs) { w, pair in
                w.string(pair.key)
                w.value(pair.value)
            }
        }
    }

    mutating func query(_ value: CollectionQuery) {
        string(value.collection)
        map(value.criteria) { $0.string($1) }
        location(value.location)
        map(value.criteriaLocations) { $0.location($1) }
    }

    /// Every field of `page` but its Markdown (which `sourceDigest` stands for).
    mutating func page(_ page: Page) {
        string(page.contentPath)
        string(page.sourcePath)
        byte(page.kind == .home ? 0 : page.kind == .section ? 1 : 2)
        string(page.section)
        optional(page.listsSection) { $0.string($1) }
        string(page.route)
        text(page.title)
        optional(page.description) { $0.text($1) }
        optional(page.layout) { $0.string($1) }
        optional(page.layoutLocation) { $0.location($1) }
        optional(page.weight) { $0.int($1) }
        bool(page.draft)
        optional(page.date) { $0.date($1) }
        optional(page.list) { $0.string($1) }
        optional(page.listLocation) { $0.location($1) }
        optional(page.paginate) { $0.int($1) }
        list(page.queries) { $0.query($1) }
        list(page.params) { w, pair in
            w.string(pair.key)
            w.value(pair.value)
        }
        int(page.bodyLine)
        bool(page.isGenerated)
        string(page.language)
        optional(page.sourceDigest) { $0.digest($1) }
    }

    mutating func origin(_ value: LinkOrigin) {
        location(value.location)
        string(value.written)
    }

    mutating func finding(_ value: Finding) {
        string(value.severity.rawValue)
        location(value.location)
        string(value.head)
        string(value.tail)
        bool(value.fromTemplate)
        string(value.page)
    }
}

extension RecordReader {
    mutating func location() throws(Damaged) -> SourceLocation {
        SourceLocation(file: try string(), line: try int(), column: try int())
    }

    mutating func stamp() throws(Damaged) -> FileStamp {
        FileStamp(size: try int(), modified: try int64(), changed: try int64(), inode: UInt64(UInt(bitPattern: try int())))
    }

    mutating func date() throws(Damaged) -> CalendarDate {
        let year = try int(), month = try int(), day = try int()
        let instant = try optional { r throws(Damaged) in try r.int64() }
        guard let date = CalendarDate(year: year, month: month, day: day, instant: instant) else { throw Damaged() }
        return date
    }

    mutating func value() throws(Damaged) -> Value {
        switch try byte() {
        case 0: return .null
        case 1: return .bool(try bool())
        case 2: return .int(try int())
        case 3: return .double(try double())
        case 4: return .string(try text())
        case 5: return .array(try list { r throws(Damaged) in try r.value() })
        case 6: return .object(try list { r throws(Damaged) in (key: try r.string(), value: try r.value()) })
        default: throw Damaged()
        }
    }

    mutating func query() throws(Damaged) -> CollectionQuery {
        CollectionQuery(collection: try string(), criteria: try map { r throws(Damaged) in try r.string() },
                        location: try location(), criteriaLocations: try map { r throws(Damaged) in try r.location() })
    }

    mutating func page() throws(Damaged) -> Page {
        let contentPath = try string(), sourcePath = try string()
        let kinds: [Page.Kind] = [.home, .section, .page]
        let number = Int(try byte())
        guard number < kinds.count else { throw Damaged() }
        let kind = kinds[number]
        var page = Page(contentPath: contentPath, sourcePath: sourcePath, kind: kind, section: try string(),
                        listsSection: try optional { r throws(Damaged) in try r.string() }, route: try string(), title: try text())
        page.description = try optional { r throws(Damaged) in try r.text() }
        page.layout = try optional { r throws(Damaged) in try r.string() }
        page.layoutLocation = try optional { r throws(Damaged) in try r.location() }
        page.weight = try optional { r throws(Damaged) in try r.int() }
        page.draft = try bool()
        page.date = try optional { r throws(Damaged) in try r.date() }
        page.list = try optional { r throws(Damaged) in try r.string() }
        page.listLocation = try optional { r throws(Damaged) in try r.location() }
        page.paginate = try optional { r throws(Damaged) in try r.int() }
        page.queries = try list { r throws(Damaged) in try r.query() }
        page.params = try list { r throws(Damaged) in (key: try r.string(), value: try r.value()) }
        page.bodyLine = try int()
        page.isGenerated = try bool()
        page.language = try string()
        page.sourceDigest = try optional { r throws(Damaged) in try r.digest() }
        return page
    }

    mutating func origin() throws(Damaged) -> LinkOrigin {
        LinkOrigin(location: try location(), written: try string())
    }

    mutating func finding() throws(Damaged) -> Finding {
        guard let severity = Diagnostic.Severity(rawValue: try string()) else { throw Damaged() }
        return Finding(severity: severity, location: try location(), head: try string(), tail: try string(),
                       fromTemplate: try bool(), page: try string())
    }
}
