"""A client of Triton's model configuration and statistics calls that is not ours: Python grpcio
with stubs generated at run time, as kserve_client.py makes them. Runs ModelInfer three times on
model 'affine', then reads ModelConfig and ModelStatistics, and prints the fields Triton's tools
read as one JSON object, for PythonClientTest to check.

usage: triton_client.py PROTO_DIR STUB_DIR HOST:PORT
"""
import json
import sys
import time

from kserve_client import generate_stubs

INFERENCES = 3


def duration(statistic):
    return {"count": statistic.count, "ns": statistic.ns}


def main():
    proto_dir, stub_dir, target = sys.argv[1:4]
    generate_stubs(proto_dir, stub_dir)
    import grpc
    import inference_pb2
    import inference_pb2_grpc
    import model_config_pb2

    with grpc.insecure_channel(target) as channel:
        stub = inference_pb2_grpc.GRPCInferenceServiceStub(channel)
        request = inference_pb2.ModelInferRequest(model_name="affine")
        x = request.inputs.add(name="x", datatype="FP32", shape=[2, 3])
        x.contents.fp32_contents.extend([1, 2, 3, -1, 0, 0.5])
        ids = request.inputs.add(name="ids", datatype="INT64", shape=[2])
        ids.contents.int64_contents.extend([7, 9])
        for _ in range(INFERENCES):
            stub.ModelInfer(request, timeout=30)
        now_ms = int(time.time() * 1000)
        config = stub.ModelConfig(inference_pb2.ModelConfigRequest(name="affine"), timeout=30).config
        stats = stub.ModelStatistics(inference_pb2.ModelStatisticsRequest(name="affine"), timeout=30)
        version_stats = stats.model_stats[0]
        inference = version_stats.inference_stats
        group = config.instance_group[0]
        print(json.dumps({
            "now_ms": now_ms,
            "config": {
                "name": config.name,
                "platform": config.platform,
                "backend": config.backend,
                "max_batch_size": config.max_batch_size,
                "inputs": [[i.name, model_config_pb2.DataType.Name(i.data_type), list(i.dims)] for i in config.input],
                "outputs": [o.name for o in config.output],
                "instance_kind": model_config_pb2.ModelInstanceGroup.Kind.Name(group.kind),
                "instance_count": group.count,
                "dynamic_batching": config.HasField("dynamic_batching"),
                "response_cache": config.response_cache.enable,
            },
            "stats": {
                "models": len(stats.model_stats),
                "name": version_stats.name,
                "version": version_stats.version,
                "last_inference": version_stats.last_inference,
                "inference_count": version_stats.inference_count,
                "execution_count": version_stats.execution_count,
                "success": duration(inference.success),
                "fail": duration(inference.fail),
                "queue": duration(inference.queue),
                "compute_input": duration(inference.compute_input),
                "compute_infer": duration(inference.compute_infer),
                "compute_output": duration(inference.compute_output),
                "batch_stats": [[b.batch_size, b.compute_infer.count] for b in version_stats.batch_stats],
            },
        }))


if __name__ == "__main__":
    main()
