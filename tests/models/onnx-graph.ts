import type { onnx as Onnx } from "onnx-proto";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** ONNX tensor element types used by the tiny models. */
export const ElemType = { float: 1, int64: 7 } as const;

type ElemTypeCode = (typeof ElemType)[keyof typeof ElemType];

/** An ONNX attribute value: an INT, or INTS when given an array. */
export type AttributeValue = number | number[];

/** The parts of a single-graph ONNX model. */
export interface GraphSpec {
  name: string;
  inputs: Onnx.IValueInfoProto[];
  outputs: Onnx.IValueInfoProto[];
  nodes: Onnx.INodeProto[];
  initializers: Onnx.ITensorProto[];
}

/** The ONNX IR version and default-domain opset every tiny model uses. */
export const OPSET = { irVersion: 8, version: 13 } as const;

/** A float32 initializer stored as raw little-endian bytes. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Onnx.ITensorProto {
  const data = Float32Array.from(values);
  assertSize(name, dims, data.length);
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: ElemType.float,
    rawData: new Uint8Array(data.buffer),
  });
}

/** An int64 initializer (axes, shapes, indices) stored as raw bytes. */
export function int64Tensor(name: string, dims: number[], values: number[]): Onnx.ITensorProto {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  assertSize(name, dims, data.length);
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: ElemType.int64,
    rawData: new Uint8Array(data.buffer),
  });
}

/** One graph node; numeric attributes become INT, arrays INTS. */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, AttributeValue> = {},
): Onnx.INodeProto {
  return onnx.NodeProto.create({
    opType,
    name: `${opType}_${outputs[0] ?? "out"}`,
    input: inputs,
    output: outputs,
    attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
  });
}

/** A graph input or output; string dims are symbolic (`batch_size`), numbers fixed. */
export function valueInfo(
  name: string,
  elemType: ElemTypeCode,
  shape: (number | string)[],
): Onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}

/** Serialises a graph to the bytes of an `.onnx` file. */
export function encodeModel(graph: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: OPSET.irVersion,
    producerName: "spacecraft-tiny-models",
    opsetImport: [{ domain: "", version: OPSET.version }],
    graph: {
      name: graph.name,
      node: graph.nodes,
      input: graph.inputs,
      output: graph.outputs,
      initializer: graph.initializers,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function attribute(name: string, value: AttributeValue): Onnx.IAttributeProto {
  return Array.isArray(value)
    ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: value })
    : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}

function assertSize(name: string, dims: number[], length: number): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== length) {
    throw new Error(`Tensor "${name}" has ${length} values but dims [${dims.join(", ")}] need ${expected}.`);
  }
}
