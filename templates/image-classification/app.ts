import * as sc from "spacecraft";

export default sc.Interface({
  title: "Image classification",
  description:
    "Upload, drop or paste a picture: a Vision Transformer trained on ImageNet names what it sees.",
  model: sc.pipeline("image-classification", "Xenova/vit-base-patch16-224"),
  inputs: [sc.Image({ label: "Image" })],
  outputs: [sc.Label({ label: "Classes", numTopClasses: 3 })],
});
