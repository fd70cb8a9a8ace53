// swift-tools-version:6.0
// horus: zero-copy robotics processing graphs on Linux.
//
// Layers (dependencies point one way):
//   CHorus (C structs: descriptor, DLPack, futex)
//     <- HorusSystem (building blocks: owned shm segments, participant table, mutex, atomics)
//     <- HorusMemory (shared-memory pools, Tensor/Image/PointCloud/DepthImage, DLPack export)
//       <- HorusTopics (typed lock-free rings in shared memory)
//         <- HorusMessages (Costmap, Pose; every message type's encodings: horus record format)
//         <- HorusGraph (YAML graphs, validation, scheduler, node protocol; knows no encodings)
//           <- HorusNodes (built-in nodes) / HorusRecord (MCAP record/replay)   [both also use HorusMessages]
//             <- HorusTesting, horus-run, horus-bench
//   CHorusDDSAPI (DDS function table) <- CHorusDDS (libhorus_dds.so, links libddsc)
//                                     <- HorusDDS (Swift wrapper, dlopens libhorus_dds.so) <- horus-dds-probe
//   HorusDDS, HorusMessages, HorusTopics <- HorusBridge (DDS bridge engine) <- horus-run
//   HorusMemory, HorusTopics, CHorusPython <- HorusCABI (C ABI, dynamic library horus_c, used by python/horus)
import PackageDescription

/// The layers the per-message paths run through (HorusSystem, HorusMemory, HorusTopics):
/// built with cross-module optimization in release, so their small accessors (a pool's
/// open flag, a slot's reference count, a prefetch) inline into the layers above instead
/// of costing a call each.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "horus",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HorusMemory", targets: ["HorusMemory"]),
        .library(name: "HorusTopics", targets: ["HorusTopics"]),
        // C ABI for Python (ctypes) and other foreign callers: libhorus_c.so.
        .library(name: "horus_c", type: .dynamic, targets: ["HorusCABI"]),
        .library(name: "HorusMessages", targets: ["HorusMessages"]),
        .library(name: "HorusGraph", targets: ["HorusGraph"]),
        .library(name: "HorusNodes", targets: ["HorusNodes"]),
        .library(name: "HorusRecord", targets: ["HorusRecord"]),
        .library(name: "HorusTesting", targets: ["HorusTesting"]),
        .executable(name: "horus-bench", targets: ["horus-bench"]),
        .executable(name: "horus-run", targets: ["horus-run"]),
        .library(name: "HorusPlugins", targets: ["HorusPlugins"]),
        // Authoring kit for Swift plugins (C-only dependency: see docs/writing-plugins.md).
        .library(name: "HorusPluginKit", targets: ["HorusPluginKit"]),
        // Example Swift plugin: `edge_detect` (Sobel magnitude), loaded with dlopen.
        .library(name: "HorusEdgeDetectPlugin", type: .dynamic, targets: ["EdgeDetectPlugin"]),
        // Example Swift plugin with struct messages: `alert_filter` (ObstacleAlert in and out).
        .library(name: "HorusAlertFilterPlugin", type: .dynamic, targets: ["AlertFilterPlugin"]),
        // The example C plugins, built by `swift build` too: libhorus_threshold.so, libhorus_crasher.so.
        .library(name: "horus_threshold", type: .dynamic, targets: ["ThresholdPlugin"]),
        .library(name: "horus_crasher", type: .dynamic, targets: ["CrasherPlugin"]),
        .library(name: "horus_obstacledetector", type: .dynamic, targets: ["ObstacleDetectorPlugin"]),
        .executable(name: "horus-testproc", targets: ["horus-testproc"]),
        // Raw-CDR topics over Cyclone DDS: libhorus_dds.so, the only library that links libddsc.
        // Nothing links it; HorusDDS dlopens it (so horus builds and runs without Cyclone DDS).
        .library(name: "horus_dds", type: .dynamic, targets: ["CHorusDDS"]),
        // Test/bench peer over HorusDDS: publish, take, list, ping/pong (used in network namespaces).
        .executable(name: "horus-dds-probe", targets: ["horus-dds-probe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "CHorus"),
        // Building blocks over POSIX for the layers above (iceoryx2's bb/cal layer):
        // shared-memory segments that own their fd and mapping, the participant table,
        // a mutex with a stable address, atomics on shared memory, SystemError.
        .target(
            name: "HorusSystem",
            dependencies: ["CHorus", .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "HorusMemory",
            dependencies: ["HorusSystem", "CHorus", .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "HorusTopics",
            dependencies: ["HorusSystem", "HorusMemory", "CHorus", .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: hotPathSettings
        ),
        // Message types beyond the memory types, and every type's encodings (one codec per
        // type and encoding, found by type name in MessageCodecRegistry).
        .target(name: "HorusMessages", dependencies: ["HorusSystem", "HorusTopics", "HorusMemory", "CHorus"]),
        .target(
            name: "HorusGraph",
            dependencies: ["HorusSystem", "HorusTopics", .product(name: "Yams", package: "Yams")]
        ),
        // The CPython-facing C code of libhorus_c (DLPack capsules, builtin fast paths).
        // It finds CPython with dlsym at run time (never links libpython) and calls
        // horus_c_api.h functions, so only HorusCABI may depend on it.
        .target(name: "CHorusPython", dependencies: ["CHorus"]),
        .target(name: "HorusCABI", dependencies: ["HorusSystem", "HorusMemory", "HorusTopics", "CHorus", "CHorusPython"]),
        .target(name: "HorusNodes", dependencies: ["HorusGraph", "HorusMessages"]),
        .target(name: "HorusRecord", dependencies: ["HorusGraph", "HorusMessages", "HorusSystem", "CHorus"]),
        // libpng (Debian libpng-dev), the maintained PNG encoder the pictures are written with.
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        // Pictures of messages: Image, DepthImage, Costmap, PointCloud rendered to RGB8, written as PNG.
        .target(name: "HorusPicture", dependencies: ["HorusMemory", "CLibPNG"]),
        // Foxglove WebSocket server (foxglove.websocket.v1) over swift-nio: channels, subscriptions,
        // bounded per-client send queues. Knows no horus message type (channels encode themselves).
        .target(
            name: "HorusView",
            dependencies: ["HorusSystem", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(name: "HorusPlugins", dependencies: ["HorusSystem", "HorusGraph", "HorusMemory", "HorusTopics", "CHorus"]),
        // Must depend on CHorus only: a plugin linking its own copy of a horus Swift module
        // would have duplicate type metadata, so only C types may cross the boundary.
        .target(name: "HorusPluginKit", dependencies: ["CHorus"]),
        .target(name: "EdgeDetectPlugin", dependencies: ["HorusPluginKit"], path: "Plugins/EdgeDetect"),
        .target(name: "AlertFilterPlugin", dependencies: ["HorusPluginKit"], path: "Plugins/AlertFilter"),
        // DDS layer: the function table (no Cyclone headers) <- its implementation over libddsc
        // (needs cyclonedds-dev to build) ; the Swift wrapper loads the implementation with dlopen.
        .target(name: "CHorusDDSAPI"),
        .target(name: "CHorusDDS", dependencies: ["CHorusDDSAPI"], linkerSettings: [.linkedLibrary("ddsc")]),
        .target(name: "HorusDDS", dependencies: ["CHorusDDSAPI", "HorusSystem"]),
        .executableTarget(name: "horus-dds-probe", dependencies: ["HorusDDS"]),
        // The DDS bridge engine: horus topics <-> ROS 2 DDS topics through the ROS 2 codecs.
        // Reaches Cyclone only through HorusDDS's dlopen, so horus-run may link it.
        .target(name: "HorusBridge", dependencies: ["HorusDDS", "HorusMessages", "HorusTopics", "HorusMemory", "HorusSystem", "CHorus",
                                                  .product(name: "Atomics", package: "swift-atomics")]),
        // Two-host bridge test peer: publishes and checks Costmap / DepthImage topics.
        .executableTarget(name: "horus-bridge-peer", dependencies: ["HorusMessages", "HorusTopics", "HorusMemory", "CHorus"]),
        // C plugins see only the plugin headers (no horus code is linked into them).
        .target(name: "ThresholdPlugin", path: "Plugins/Threshold", publicHeadersPath: ".",
                cSettings: [.headerSearchPath("../../Sources/CHorus/include")]),
        .target(name: "CrasherPlugin", path: "Plugins/Crasher", publicHeadersPath: ".",
                cSettings: [.headerSearchPath("../../Sources/CHorus/include")]),
        .target(name: "ObstacleDetectorPlugin", path: "Plugins/ObstacleDetector", publicHeadersPath: ".",
                cSettings: [.headerSearchPath("../../Sources/CHorus/include")], linkerSettings: [.linkedLibrary("m")]),
        // Deterministic pipeline tests: inject messages or a recording, step, assert.
        .target(name: "HorusTesting", dependencies: ["HorusGraph", "HorusNodes", "HorusRecord", "HorusMessages", "HorusMemory", "HorusTopics"]),
        .executableTarget(
            name: "horus-run",
            dependencies: ["HorusGraph", "HorusNodes", "HorusMessages", "HorusRecord", "HorusTopics", "HorusMemory", "HorusSystem", "HorusPlugins", "CHorus", "HorusPicture", "HorusView",
                           "HorusBridge", "HorusDDS", "CHorusDDSAPI",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Atomics", package: "swift-atomics")]
        ),
        .executableTarget(
            name: "horus-testproc",
            dependencies: ["HorusSystem", "HorusMemory", "HorusTopics", "CHorus"]
        ),
        .executableTarget(
            name: "horus-bench",
            dependencies: [
                "HorusSystem", "HorusMemory", "HorusTopics", "HorusNodes", "HorusMessages", "CHorus", "HorusRecord", "HorusGraph", "HorusPlugins",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        // Shared helpers of the test targets (pools with unique names, child processes).
        .target(name: "HorusTestSupport", dependencies: ["HorusMemory"], path: "Tests/HorusTestSupport"),
        .testTarget(name: "HorusSystemTests", dependencies: ["HorusSystem"]),
        .testTarget(name: "HorusMemoryTests", dependencies: ["HorusSystem", "HorusMemory", "CHorus", "HorusTestSupport"]),
        .testTarget(name: "HorusTopicsTests", dependencies: ["HorusSystem", "HorusTopics", "HorusMemory", "CHorus", "HorusTestSupport"]),
        .testTarget(name: "HorusGraphTests", dependencies: ["HorusGraph"]),
        .testTarget(name: "HorusMessagesTests", dependencies: ["HorusMessages", "HorusMemory", "HorusTestSupport"]),
        .testTarget(name: "HorusNodesTests", dependencies: ["HorusNodes", "HorusMessages"]),
        // Runs the built horus-run binary as a subprocess (and horus-testproc as a publisher).
        .testTarget(name: "HorusCLITests", dependencies: ["HorusMemory", "HorusRecord", "HorusMessages", "HorusPicture", "horus-run", "horus-testproc", "HorusTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HorusPluginsTests", dependencies: ["HorusPlugins", "HorusGraph", "HorusMemory", "HorusTopics", "CHorus", "HorusTestSupport", "HorusNodes", "HorusMessages"]),
        .testTarget(name: "HorusRecordTests", dependencies: ["HorusRecord", "HorusMessages", "HorusNodes", "HorusGraph", "HorusMemory", "HorusTopics", "HorusTestSupport"]),
        .testTarget(name: "HorusPictureTests", dependencies: ["HorusPicture", "HorusMemory"]),
        // Drives the server with Python `websockets` clients (a real third-party client) in child processes.
        .testTarget(name: "HorusViewTests", dependencies: ["HorusView", "HorusTestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "HorusTestingTests", dependencies: ["HorusTesting", "HorusMessages", "HorusNodes", "HorusRecord", "HorusGraph", "HorusMemory"]),
        // Runs horus-dds-probe and a Python cyclonedds peer in two network namespaces (needs root, iproute2).
        // Also runs horus-run bridge in both namespaces, with horus-bridge-peer as the horus publisher/subscriber.
        .testTarget(name: "HorusDDSTests", dependencies: ["HorusDDS", "HorusBridge", "HorusGraph", "HorusSystem", "horus-dds-probe", "horus-run", "horus-bridge-peer", "HorusTestSupport"],
                    exclude: ["ros2_peer.py", "ros2_grid_peer.py", "ros2_idl.py"]),
    ],
    swiftLanguageModes: [.v5]
)
