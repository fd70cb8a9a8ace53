import CHorus
import HorusGraph
import HorusMemory
import HorusTopics
#if canImport(Glibc)
import Glibc
#endif

/// A graph node whose work is done by a plugin node type through the C ABI.
///
/// `configure` binds the declared ports (by index, in declaration order), then calls the
/// plugin's `create` and `configure`; `tick` calls the plugin's `tick`, during which the
/// plugin reaches inputs, outputs and the pool through the host services (`HostServices`).
/// The plugin instance is destroyed, and any handles it still holds are released, when
/// this object is deinitialized.
public final class PluginNode: Node {
    /// The node type's declaration.
    public let spec: NodeTypeSpec
    /// The library the node type comes from (kept loaded).
    public let library: PluginLibrary

    let vtable: UnsafePointer<horus_node_type_t>
    /// The host table handed to the plugin; `context` points back to this object.
    let host: UnsafeMutablePointer<horus_host_t>
    private var instance: UnsafeMutableRawPointer?

    // State reached by the host services (all accessed on the calling thread of a callback).
    var context: NodeContext?
    /// Per port index (declaration order): the bound port, resolved once in configure.
    var ports: [PortBinding]
    var handles = HandleTable()
    var lastError: String?
    var destroying = false
    /// C strings handed out (param_string, node_name); freed in deinit.
    var cStrings: [String: UnsafeMutablePointer<CChar>] = [:]

    /// A port as the adapter sees it: kind and direction from the declaration, plus the
    /// typed topic endpoint when the graph wired it.
    enum PortBinding {
        case input(horus_kind, Input?)
        case output(horus_kind, Output?)
    }
    enum Input {
        case image(InputPort<Image>), depth(InputPort<DepthImage>), cloud(InputPort<PointCloud>), tensor(InputPort<Tensor>)
        case plain(AnyInputPort, PlainStructSupport)
    }
    enum Output {
        case image(OutputPort<Image>), depth(OutputPort<DepthImage>), cloud(OutputPort<PointCloud>), tensor(OutputPort<Tensor>)
        case plain(AnyOutputPort, PlainStructSupport)
    }

    init(library: PluginLibrary, spec: NodeTypeSpec, vtable: UnsafePointer<horus_node_type_t>) {
        self.library = library
        self.spec = spec
        self.vtable = vtable
        ports = spec.ports.map { p in
            // Validated at load: a pool type, or a struct type the host knows.
            let kind = PluginTableReader.supportedMessageTypes[p.messageType.rawValue] ?? horus_kind(rawValue: HORUS_KIND_STRUCT)
            return p.direction == .input ? .input(kind, nil) : .output(kind, nil)
        }
        host = .allocate(capacity: 1)
        host.initialize(to: HostServices.table())
        host.pointee.context = Unmanaged.passUnretained(self).toOpaque()
        host.pointee.node_name = UnsafePointer(cString(spec.name))
    }

    deinit {
        if let instance, let destroy = vtable.pointee.destroy {
            destroying = true
            destroy(instance)
        }
        context?.heldMessages.add(-handles.count)
        handles.removeAll()
        host.deinitialize(count: 1)
        host.deallocate()
        for p in cStrings.values { free(p) }
    }

    /// A C copy of `s` that lives as long as the node (cached by content).
    func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
        if let p = cStrings[s] { return p }
        let p = strdup(s)!
        cStrings[s] = p
        return p
    }

    private func fail(_ phase: String, _ status: Int32) -> NodeError {
        let text = lastError ?? "returned status \(status)"
        lastError = nil
        return NodeError(node: context?.nodeName ?? spec.name, phase: phase, message: "plugin node type '\(spec.name)' (\(library.path)): \(text)")
    }

    public func configure(_ context: NodeContext) throws {
        guard instance == nil else { throw NodeError(node: context.nodeName, phase: "configure", message: "configured twice") }
        self.context = context
        host.pointee.node_name = UnsafePointer(cString(context.nodeName))
        for (i, p) in spec.ports.enumerated() {
            switch ports[i] {
            case .input(let kind, _):
                guard context.anyInput(p.name) != nil else { continue }
                let bound: Input
                switch kind {
                case horus_kind(rawValue: HORUS_KIND_STRUCT): bound = try .plain(context.anyInput(p.name)!, Self.plainSupport(p, context))
                case HORUS_KIND_IMAGE: bound = .image(try context.input(p.name, as: Image.self))
                case HORUS_KIND_DEPTH_IMAGE: bound = .depth(try context.input(p.name, as: DepthImage.self))
                case HORUS_KIND_POINT_CLOUD: bound = .cloud(try context.input(p.name, as: PointCloud.self))
                default: bound = .tensor(try context.input(p.name, as: Tensor.self))
                }
                ports[i] = .input(kind, bound)
            case .output(let kind, _):
                guard context.anyOutput(p.name) != nil else { continue }
                let bound: Output
                switch kind {
                case horus_kind(rawValue: HORUS_KIND_STRUCT): bound = try .plain(context.anyOutput(p.name)!, Self.plainSupport(p, context))
                case HORUS_KIND_IMAGE: bound = .image(try context.output(p.name, as: Image.self))
                case HORUS_KIND_DEPTH_IMAGE: bound = .depth(try context.output(p.name, as: DepthImage.self))
                case HORUS_KIND_POINT_CLOUD: bound = .cloud(try context.output(p.name, as: PointCloud.self))
                default: bound = .tensor(try context.output(p.name, as: Tensor.self))
                }
                ports[i] = .output(kind, bound)
            }
        }
        for p in spec.inputs where !p.optional && context.anyInput(p.name) == nil {
            throw NodeError(node: context.nodeName, phase: "configure", message: "required input '\(p.name)' is not wired")
        }
        lastError = nil
        guard let made = vtable.pointee.create!(vtable, host) else { throw fail("create", 0) }
        instance = made
        if let configure = vtable.pointee.configure {
            let s = configure(made, host)
            if s != HORUS_OK.rawValue { throw fail("configure", s) }
        }
    }

    private static func plainSupport(_ p: PortSpec, _ context: NodeContext) throws -> PlainStructSupport {
        guard let s = MessageTypeCatalog.shared.plainStruct(p.messageType.rawValue) else {
            throw NodeError(node: context.nodeName, phase: "configure", message: "port '\(p.name)': struct type '\(p.messageType)' is not registered")
        }
        return s
    }

    public func start(_ context: NodeContext) throws {
        guard let instance else { throw NodeError(node: context.nodeName, phase: "start", message: "not configured") }
        if let start = vtable.pointee.start {
            let s = start(instance, host)
            if s != HORUS_OK.rawValue { throw fail("start", s) }
        }
    }

    public func tick(_ context: NodeContext) throws {
        guard let instance else { throw NodeError(node: context.nodeName, phase: "tick", message: "not configured") }
        let s = vtable.pointee.tick!(instance, host)
        if s != HORUS_OK.rawValue { throw fail("tick", s) }
    }

    public func stop(_ context: NodeContext) {
        guard let instance, let stop = vtable.pointee.stop else { return }
        stop(instance, host)
    }

    /// Handles the plugin currently holds (for tests and leak diagnostics).
    public var heldHandleCount: Int { handles.count }
}
