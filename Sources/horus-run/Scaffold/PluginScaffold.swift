import Foundation

/// The files of a new plugin project (`horus-run new-plugin`): a node type that brightens
/// 8-bit images, a build (Makefile for C, Package.swift for Swift), a sample graph and a
/// test script that builds the plugin and runs the graph.
struct PluginScaffold {
    enum Language: String, CaseIterable { case c, swift }

    /// Plugin (and node type) name, a C/Swift identifier.
    var name: String
    var language: Language
    /// The horus checkout: headers (C) and the HorusPluginKit package (Swift).
    var horusRoot: String
    /// The horus-run binary the test script runs.
    var horusRun: String

    /// Why `name` cannot name a plugin, or nil.
    static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)),
              name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }) else {
            return "plugin name '\(name)' must be an identifier: a letter or '_', then letters, digits or '_'"
        }
        return nil
    }

    /// The node type name in graphs (the plugin name, lowercased).
    var typeName: String { name.lowercased() }
    /// The shared library the build produces.
    var libraryName: String { "lib\(name).so" }

    /// Relative path → contents.
    var files: [(path: String, contents: String, executable: Bool)] {
        var out: [(String, String, Bool)] = [("graph.yaml", graph, false), ("test.sh", testScript, true), ("README.md", readme, false)]
        switch language {
        case .c:
            out += [("\(name).c", cSource, false), ("Makefile", makefile, false)]
        case .swift:
            out += [("Package.swift", packageManifest, false), ("Sources/\(name)/\(name).swift", swiftSource, false),
                    (".gitignore", ".build/\n", false)]
        }
        return out
    }

    /// SwiftPM's identity of a path dependency: the last path component.
    /// The kit's own small package (`PluginKit/` in the checkout: CHorus + HorusPluginKit, no
    /// other dependencies); a path dependency's identity is its folder name.
    var pluginKitPath: String { horusRoot + "/PluginKit" }
    var pluginKitIdentity: String { "PluginKit" }

    var graph: String {
        """
        # A sample graph for the \(typeName) plugin: a simulated camera feeds it; its output is
        # the graph's output (`horus-run echo /\(typeName)/image` reads it from outside).
        graph: \(typeName)_demo
        nodes:
          - name: camera
            type: camera_sim
            rate: 20
            params: {width: 64, height: 48}
            outputs: {color: /camera/color}

          - name: \(typeName)
            plugin: \(libraryName)      # found beside this file (or on HORUS_PLUGIN_PATH)
            type: \(typeName)
            params: {offset: 40}
            inputs: {image: /camera/color}
            outputs: {image_out: /\(typeName)/image}

        outputs: [/\(typeName)/image]

        """
    }

    private var buildCommand: String {
        switch language {
        case .c: return "make"
        case .swift: return "swift build && cp .build/debug/\(libraryName) ."
        }
    }

    var testScript: String {
        """
        #!/bin/sh
        # Builds the plugin, validates the sample graph, runs it for 5 camera frames and checks
        # that the \(typeName) node processed every frame without errors.
        set -eu
        cd "$(dirname "$0")"
        HORUS_RUN=${HORUS_RUN:-\(horusRun)}
        \(buildCommand)
        "$HORUS_RUN" check graph.yaml
        summary=$("$HORUS_RUN" graph.yaml --ticks 5 --json --quiet | tail -n 1)
        node=$(printf '%s' "$summary" | grep -o '{[^{}]*"name":"\(typeName)"[^{}]*}' || true)
        case "$node" in
          *'"errors":0,'*'"messagesOut":5,'*'"ticks":5,'*) echo "ok: \(typeName) processed 5 frames" ;;
          *) echo "FAILED: unexpected summary for \(typeName): ${node:-$summary}" >&2; exit 1 ;;
        esac

        """
    }

    var readme: String {
        """
        # \(name): a horus node plugin (\(language == .c ? "C" : "Swift"))

        Node type `\(typeName)`: adds `offset` to every channel of an 8-bit image.

            \(buildCommand)            # builds \(libraryName)
            horus-run graph.yaml       # runs the sample graph (camera_sim -> \(typeName))
            horus-run types --plugin ./\(libraryName)
            ./test.sh                  # builds, validates and runs the graph for 5 frames

        See docs/writing-plugins.md in the horus checkout (\(horusRoot)).

        """
    }

    // MARK: C

    var makefile: String {
        """
        # Builds \(libraryName). HORUS_INCLUDE: the directory holding horus_plugin.h.
        HORUS_INCLUDE ?= \(horusRoot)/Sources/CHorus/include
        CC ?= cc
        CFLAGS ?= -O2 -Wall -Wextra -std=c11

        \(libraryName): \(name).c
        \t$(CC) -shared -fPIC $(CFLAGS) -I $(HORUS_INCLUDE) -o $@ $<

        test: \(libraryName)
        \t./test.sh

        clean:
        \trm -f \(libraryName)

        .PHONY: test clean

        """
    }

    var cSource: String {
        """
        /* \(name).c -- a horus node plugin (plugin ABI 1): adds `offset` to every channel of an
         * 8-bit image (saturating) and publishes an image of the same encoding. */
        #include <stdlib.h>
        #include "horus_plugin.h"

        enum { PORT_IN = 0, PORT_OUT = 1 }; /* = positions in ports[] */

        static const horus_port_def_t ports[] = {
          {.name = "image", .direction = HORUS_PORT_INPUT, .message_type = "Image", .doc = "8-bit image"},
          {.name = "image_out", .direction = HORUS_PORT_OUTPUT, .message_type = "Image", .doc = "the brightened image"},
        };

        static const horus_param_def_t params[] = {
          {.name = "offset", .type = HORUS_PARAM_INT,
           .flags = HORUS_PARAM_HAS_DEFAULT | HORUS_PARAM_HAS_MIN | HORUS_PARAM_HAS_MAX,
           .default_value = {.i = 20}, .min = -255, .max = 255, .doc = "added to every channel"},
        };

        typedef struct { int offset; } state;

        static void *create(const horus_node_type_t *type, const horus_host_t *host) {
          (void)type;
          state *s = calloc(1, sizeof *s);
          if (!s) host->set_error(host, "out of memory");
          return s;
        }

        static int32_t configure(void *self, const horus_host_t *host) {
          int64_t offset = 0;
          host->param_int(host, "offset", &offset); /* validated by the host: -255...255 */
          ((state *)self)->offset = (int)offset;
          return HORUS_OK;
        }

        static int32_t tick(void *self, const horus_host_t *host) {
          horus_message_t in, out;
          if (host->take(host, PORT_IN, HORUS_TAKE_LATEST, &in) != HORUS_OK) return HORUS_OK; /* nothing new */
          if (in.dtype != HORUS_DTYPE_U8) {
            host->release(host, in.handle);
            host->set_error(host, "\(typeName) needs an 8-bit image");
            return HORUS_ERR_TYPE;
          }
          int64_t h = in.shape[0], w = in.shape[1], c = in.shape[2];
          int64_t size[2] = {h, w};
          int32_t status = host->alloc(host, HORUS_KIND_IMAGE, in.encoding, 0, 2, size, &out);
          if (status != HORUS_OK) { host->release(host, in.handle); return status; }
          const uint8_t *src = in.data; /* read-only, strided */
          uint8_t *dst = out.data;      /* writable, contiguous [h][w][c], not zeroed */
          int offset = ((state *)self)->offset;
          for (int64_t y = 0; y < h; y++)
            for (int64_t x = 0; x < w; x++)
              for (int64_t k = 0; k < c; k++) {
                int v = src[y * in.strides[0] + x * in.strides[1] + k * in.strides[2]] + offset;
                dst[(y * w + x) * c + k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
              }
          out.timestamp_ns = in.timestamp_ns; /* keep the capture time downstream */
          status = host->publish(host, PORT_OUT, &out);
          host->release(host, out.handle); /* publish does not consume handles */
          host->release(host, in.handle);
          return status;
        }

        static void destroy(void *self) { free(self); }

        static const horus_node_type_t node_types[] = {{
          .name = "\(typeName)",
          .doc = "Adds a constant to every channel of an 8-bit image",
          .port_count = 2, .ports = ports,
          .param_count = 1, .params = params,
          .default_trigger_input = "image", /* tick when an image arrives */
          .create = create, .configure = configure, .tick = tick, .destroy = destroy,
        }};

        static const horus_plugin_t plugin = {
          .abi_version = HORUS_PLUGIN_ABI_VERSION,
          .node_type_count = 1,
          .name = "\(name)",
          .version = "0.1.0",
          .node_types = node_types,
        };

        const horus_plugin_t *horus_plugin_entry(void) { return &plugin; }

        """
    }

    // MARK: Swift

    var packageManifest: String {
        """
        // swift-tools-version:6.0
        // \(name): a horus node plugin, built as the dynamic library \(libraryName).
        // It depends only on HorusPluginKit (C types cross the plugin boundary, never horus's
        // Swift modules), through the kit's own package in the horus checkout, so nothing else
        // of horus (or its dependencies) is resolved or built. A path dependency's package
        // identity is its folder name, hence `package: "\(pluginKitIdentity)"`.
        import PackageDescription

        let package = Package(
            name: "\(name)",
            products: [.library(name: "\(name)", type: .dynamic, targets: ["\(name)"])],
            dependencies: [.package(path: "\(pluginKitPath)")],
            targets: [
                .target(name: "\(name)", dependencies: [.product(name: "HorusPluginKit", package: "\(pluginKitIdentity)")]),
            ]
        )

        """
    }

    private var className: String { name.prefix(1).uppercased() + name.dropFirst() + "Node" }

    var swiftSource: String {
        """
        // \(name): adds `offset` to every channel of an 8-bit image (saturating) and publishes
        // an image of the same encoding. The input is read in place from shared memory.
        import CHorus
        import HorusPluginKit

        final class \(className): PluginNodeType {
            static let typeName = "\(typeName)"
            static let doc = "Adds a constant to every channel of an 8-bit image"
            static let ports: [PluginPort] = [
                .input("image", .image, doc: "8-bit image"),
                .output("image_out", .image, doc: "the brightened image"),
            ]
            static let params: [PluginParam] = [
                .int("offset", default: 20, min: -255, max: 255, doc: "added to every channel"),
            ]
            static let defaultTrigger: PluginTrigger? = .input("image")  // tick when an image arrives

            static let imagePort: Int32 = 0, outPort: Int32 = 1  // positions in `ports`
            private var offset = 20

            init(host: PluginHost) throws {}

            func configure(_ host: PluginHost) throws {
                offset = host.int("offset") ?? 20  // validated by the host: -255...255
            }

            func tick(_ host: PluginHost) throws {
                guard let input = try host.take(Self.imagePort, latest: true) else { return }  // nothing new
                guard input.raw.dtype == UInt8(HORUS_DTYPE_U8.rawValue) else {
                    throw PluginError("\(typeName) needs an 8-bit image")
                }
                let h = input.height, w = input.width, c = input.channels
                let s0 = input.stride(0), s1 = input.stride(1), s2 = c > 1 ? input.stride(2) : 0
                var out = try host.allocImage(height: h, width: w, encoding: input.encoding)
                let src = input.data.assumingMemoryBound(to: UInt8.self)  // read-only, strided
                let dst = out.data.assumingMemoryBound(to: UInt8.self)    // contiguous [h][w][c], not zeroed
                for y in 0..<h {
                    for x in 0..<w {
                        for k in 0..<c {
                            let v = Int(src[y * s0 + x * s1 + k * s2]) + offset
                            dst[(y * w + x) * c + k] = UInt8(max(0, min(255, v)))
                        }
                    }
                }
                out.stamp(like: input)  // keep the capture time and frame id downstream
                try host.publish(Self.outPort, out)
            }  // `input` and `out` release their handles here
        }

        let plugin = HorusPluginExport(name: "\(name)", version: "0.1.0", nodeTypes: [\(className).self])

        @_cdecl("horus_plugin_entry")
        public func horusPluginEntry() -> UnsafeRawPointer { plugin.entry }

        """
    }
}
