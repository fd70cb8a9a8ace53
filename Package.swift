// swift-tools-version:6.0
// horus: zero-copy robotics processing graphs on Linux.
//
// Layers (dependencies point one way):
//   CHorus (C structs: descriptor, DLPack, futex)
//     <- HorusMemory (shared-memory pools, Tensor/Image/PointCloud/DepthImage, DLPack export)
//       <- HorusTopics (typed lock-free rings in shared memory)
//         <- HorusGraph (YAML graphs, validation, scheduler, node protocol)
//           <- HorusNodes (built-in nodes) / HorusRecord (MCAP record/replay)
//             <- HorusCLI (horus-run, horus-bench)
//   HorusMemory <- HorusCABI (C ABI, dynamic library horus_c, used by python/horus)
import PackageDescription

let package = Package(
    name: "horus",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HorusMemory", targets: ["HorusMemory"]),
        .library(name: "HorusTopics", targets: ["HorusTopics"]),
        // C ABI for Python (ctypes) and other foreign callers: libhorus_c.so.
        .library(name: "horus_c", type: .dynamic, targets: ["HorusCABI"]),
        .executable(name: "horus-bench", targets: ["horus-bench"]),
        .executable(name: "horus-run", targets: ["horus-run"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "CHorus"),
        .target(
            name: "HorusMemory",
            dependencies: ["CHorus", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(
            name: "HorusTopics",
            dependencies: ["HorusMemory", "CHorus", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(
            name: "HorusGraph",
            dependencies: ["HorusTopics", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "HorusCABI", dependencies: ["HorusMemory", "CHorus"]),
        .target(name: "HorusNodes", dependencies: ["HorusGraph"]),
        .target(name: "HorusRecord", dependencies: ["HorusGraph"]),
        .executableTarget(
            name: "horus-run",
            dependencies: ["HorusGraph", "HorusNodes", "HorusRecord", "HorusTopics", "HorusMemory",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "horus-testproc",
            dependencies: ["HorusMemory", "HorusTopics"]
        ),
        .executableTarget(
            name: "horus-bench",
            dependencies: [
                "HorusMemory", "HorusTopics", "HorusNodes", "CHorus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        .testTarget(name: "HorusMemoryTests", dependencies: ["HorusMemory", "CHorus"]),
        .testTarget(name: "HorusTopicsTests", dependencies: ["HorusTopics", "HorusMemory", "CHorus"]),
        .testTarget(name: "HorusGraphTests", dependencies: ["HorusGraph"]),
        .testTarget(name: "HorusNodesTests", dependencies: ["HorusNodes"]),
        .testTarget(name: "HorusRecordTests", dependencies: ["HorusRecord"]),
    ],
    swiftLanguageModes: [.v5]
)
