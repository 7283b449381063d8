import * as sc from "spacecraft";

export default sc.Interface({
  title: "Speech recognition",
  description: "Record or upload speech: Whisper (base) writes down what it hears.",
  model: sc.pipeline("automatic-speech-recognition", "onnx-community/whisper-base"),
  inputs: [sc.Audio({ label: "Speech", sources: ["microphone", "upload"] })],
  outputs: [sc.Textbox({ label: "Transcript", lines: 4 })],
});
