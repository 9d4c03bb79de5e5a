import CSHA256
import CZlib

/// SHA-256 (FIPS 180-4), for the build manifest: the C target `CSHA256`, which uses the processor's SHA
/// extensions where it has them. Checked against FIPS vectors, `sha256sum` and its own portable code.
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(bytes, orbis_sha256)
    }

    /// The digest from the portable code only, whatever the processor (tests compare it with `hex`).
    public static func portableHex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(bytes, orbis_sha256_portable)
    }

    /// Whether `hex` uses the processor's SHA extensions on this machine.
    public static var isAccelerated: Bool { orbis_sha256_accelerated() != 0 }

    private static func hex(_ bytes: UnsafeRawBufferPointer,
                            _ digest: (UnsafeRawPointer?, Int, UnsafeMutablePointer<UInt8>?) -> Void) -> String {
        var raw = [UInt8](repeating: 0, count: 32)
        raw.withUnsafeMutableBufferPointer { digest(bytes.baseAddress, bytes.count, $0.baseAddress) }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in raw {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// gzip through zlib, byte-identical for identical input (no file name, modification time 0).
public enum Gzip {
    public static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }

    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 9) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a gzip wrapper; zlib writes a header with no name and mtime 0.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let produced: Int = output.withUnsafeMutableBufferPointer { outBuffer in
            do {
                // zlib never writes through next_in.
                stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
                stream.avail_in = uInt(bytes.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { return 0 }
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}
