import Mustache

/// What a context holds for a value that is not there (an optional field left out, a page without a date).
/// swift-mustache renders it as nothing and a section over it as false — and, unlike a missing key, it stops
/// the lookup: `{{#pages}}{{description}}{{/pages}}` never shows an outer `description` for a page without
/// one (Mustache looks a missing name up in the enclosing contexts).
/// `empty(x)` of it is true, and `count(x)` 0, as of an empty list.
struct Absent: MustacheCustomRenderable, MustacheTransformable, Sendable {
    var renderText: String { "" }
    var isNull: Bool { true }

    func transform(_ name: String) -> Any? {
        switch name {
        case "empty": true
        case "count": 0
        default: nil
        }
    }
}

let absent = Absent()

/// `value`, or `absent` when it is nil.
func orAbsent<T>(_ value: T?) -> Any {
    value.map { $0 as Any } ?? absent
}
