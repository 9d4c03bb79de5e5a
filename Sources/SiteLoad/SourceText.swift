import Foundation
import SiteModel

/// A source file's bytes as text: UTF-8 (a byte order mark is dropped), every line ending (`\r\n`, or `\r`
/// alone as old Mac editors save) made `\n`. Anything else is an error at its line and column, never
/// replaced silently: bytes that are not UTF-8 (a file saved as Latin-1 or Windows-1252, or UTF-16 as
/// Windows Notepad's "Unicode" saves it) and NUL bytes (a binary file, or a broken copy).
enum SourceText {
    static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> String {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: 1, column: 1),
                "the file is saved as UTF-16 (Windows \"Unicode\"); save it as UTF-8")])
        }
        let body = bytes[start...]
        guard let text = String(validating: body, as: UTF8.self) else {
            throw DiagnosticsError([invalid(body, file: file)])
        }
        func has(_ byte: Int32) -> Bool { body.withUnsafeBufferPointer { $0.count > 0 && memchr($0.baseAddress!, byte, $0.count) != nil } }
        if has(0), let nul = body.firstIndex(of: 0) {
            let (line, column) = position(of: nul, in: body)
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: line, column: column),
                "the file contains a NUL byte here (is it a binary file, or a damaged copy?); remove it")])
        }
        guard has(13) else { return text }
        var normalized: [UInt8] = []
        normalized.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == 13 {
                normalized.append(10)
                if index + 1 < body.endIndex, body[index + 1] == 10 { index += 1 }
            } else {
                normalized.append(byte)
            }
            index += 1
        }
        return String(decoding: normalized, as: UTF8.self)
    }

    /// The first byte that is not UTF-8, at its line and column.
    static func invalid(_ bytes: ArraySlice<UInt8>, file: String) -> Diagnostic {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            if length == 0 || index + length > bytes.endIndex
                || String(validating: bytes[index..<index + length], as: UTF8.self) == nil {
                let (line, column) = position(of: index, in: bytes)
                let hex = String(byte, radix: 16, uppercase: true)
                return .error(at: SourceLocation(file: file, line: line, column: column),
                    "the file is not valid UTF-8 here (byte 0x\(hex.count < 2 ? "0" : "")\(hex)); it was probably saved in another encoding, such as Windows-1252; save it as UTF-8")
            }
            index += length
        }
        return .error(at: SourceLocation(file: file, line: 1, column: 1), "the file is not valid UTF-8; save it as UTF-8")
    }

    /// Line and column (in characters) of the byte at `offset`.
    static func position(of offset: Int, in bytes: ArraySlice<UInt8>) -> (Int, Int) {
        var line = 1, lineStart = bytes.startIndex
        for index in bytes.startIndex..<offset where bytes[index] == 10 {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        return (line, column)
    }
}
