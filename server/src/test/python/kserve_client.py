"""A KServe v2 gRPC client that is not ours: Python grpcio with stubs generated from Tern's
inference.proto (and the model_config.proto it imports) at run time. Calls ServerLive, ModelMetadata and ModelInfer on model 'affine'
and prints what it got as one JSON object, for PythonClientTest to check.

usage: kserve_client.py PROTO_DIR STUB_DIR HOST:PORT
"""
import json
import struct
import sys

from grpc_tools import protoc


def generate_stubs(proto_dir, stub_dir):
    """Writes the Python messages and gRPC stubs of PROTO_DIR's protos to STUB_DIR and imports from there."""
    protos = [proto_dir + "/inference.proto", proto_dir + "/model_config.proto"]
    status = protoc.main(["grpc_tools.protoc", "-I" + proto_dir, "--python_out=" + stub_dir,
                          "--grpc_python_out=" + stub_dir] + protos)
    if status != 0:
        sys.exit("protoc failed on " + " ".join(protos) + " with status " + str(status))
    sys.path.insert(0, stub_dir)


def main():
    proto_dir, stub_dir, target = sys.argv[1:4]
    generate_stubs(proto_dir, stub_dir)
    import grpc
    import inference_pb2
    import inference_pb2_grpc

    with grpc.insecure_channel(target) as channel:
        stub = inference_pb2_grpc.GRPCInferenceServiceStub(channel)
        live = stub.ServerLive(inference_pb2.ServerLiveRequest(), timeout=30).live
        metadata = stub.ModelMetadata(inference_pb2.ModelMetadataRequest(name="affine"), timeout=30)
        request = inference_pb2.ModelInferRequest(model_name="affine")
        x = request.inputs.add(name="x", datatype="FP32", shape=[2, 3])
        x.contents.fp32_contents.extend([1, 2, 3, -1, 0, 0.5])
        ids = request.inputs.add(name="ids", datatype="INT64", shape=[2])
        ids.contents.int64_contents.extend([7, 9])
        response = stub.ModelInfer(request, timeout=30)
        y = response.raw_output_contents[0]
        print(json.dumps({
            "live": live,
            "inputs": [[t.name, t.datatype, list(t.shape)] for t in metadata.inputs],
            "output": response.outputs[0].name,
            "shape": list(response.outputs[0].shape),
            "y": list(struct.unpack("<%df" % (len(y) // 4), y)),
        }))


if __name__ == "__main__":
    main()
