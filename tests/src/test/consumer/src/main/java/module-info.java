/**
 * A Tern application on the module path: it compiles only where each Tern jar it requires
 * carries its module name.
 */
module example.consumer {
    requires dev.tern.ir;
    requires dev.tern.onnx;
    requires dev.tern.exec;
    requires dev.tern.train;

    exports example.consumer;
}
