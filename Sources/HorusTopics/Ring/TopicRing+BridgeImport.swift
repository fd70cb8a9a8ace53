import Atomics
import CHorus
import HorusSystem

/// Marks on a ring that its publisher in some process is a DDS bridge importer, so that no
/// bridge exports the topic back to DDS: the importer's participant row gets the role bit
/// `HORUS_RING_ROLE_BRIDGE_IMPORT`, then the header's `bridge_import_marks` is bumped, both
/// before the importer's first publish. An exporter that acquired a message (its commit word)
/// therefore sees the bumped counter: one relaxed load per message tells it to look at the rows.
extension TopicRing {
    static let bridgeImportMarksOffset = MemoryLayout<horus_ring_header>.offset(of: \.bridge_import_marks)!
    static let rolesOffset = MemoryLayout<horus_ring_participant>.offset(of: \.roles)!

    /// Marks this process as a bridge importer of `topic`, which it must have open (call it
    /// right after creating the importer's publisher, before publishing).
    public static func markBridgeImport(topic: String) throws {
        guard let ring = TopicRegistry.shared.openRing(topic) else { throw TopicError.notFound(topic: topic) }
        let row = ring.participantTable.row(ring.participantIndex)
        _ = atomicU32(row + rolesOffset).loadThenBitwiseOr(with: HORUS_RING_ROLE_BRIDGE_IMPORT, ordering: .sequentiallyConsistent)
        atomicU32(UnsafeMutableRawPointer(ring.header) + bridgeImportMarksOffset).wrappingIncrement(ordering: .sequentiallyConsistent)
    }

    /// Live processes whose rows carry the bridge-import role and that publish the topic.
    static func bridgeImporters(_ table: ParticipantTable) -> [Int32] {
        table.liveRows.compactMap { i in
            let row = table.row(i)
            let roles = atomicU32(row + rolesOffset).load(ordering: .acquiring)
            let publishers = atomicU32(row + MemoryLayout<horus_ring_participant>.offset(of: \.publishers)!).load(ordering: .relaxed)
            guard roles & HORUS_RING_ROLE_BRIDGE_IMPORT != 0, publishers > 0, let who = table.identity(i) else { return nil }
            return who.pid
        }
    }
}

extension TopicInspector {
    /// How many times a process marked itself a bridge importer of this topic (0 in rings of
    /// older horus versions); an exporter rescans `bridgeImporters` when it changes.
    public var bridgeImportMarks: UInt32 {
        atomicU32(UnsafeMutableRawPointer(mutating: base + TopicRing.bridgeImportMarksOffset)).load(ordering: .relaxed)
    }

    /// Pids of live processes publishing this topic as DDS bridge importers.
    public var bridgeImporters: [Int32] { TopicRing.bridgeImporters(TopicRing.participantTable(header: base)) }
}
