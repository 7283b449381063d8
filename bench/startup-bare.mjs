// The baseline of `npm run bench:startup`: a bare Express + ws server, started as `node file`
// the way `spacecraft start` is, answering `/config` with a config-sized JSON body.
import express from "express";
import { WebSocketServer } from "ws";

const config = JSON.stringify({ components: Array.from({ length: 8 }, (_, id) => ({ id, props: {} })) });
const app = express();
app.get("/config", (_request, response) => void response.type("json").send(config));
const server = app.listen(0, "127.0.0.1", () => {
  console.log(`running at http://127.0.0.1:${server.address().port}`);
});
new WebSocketServer({ server, path: "/ws" }).on("connection", (socket) =>
  socket.on("message", (data) => socket.send(data)),
);
// With BENCH_MODEL (a folder of local models, then an id in it), it then loads that
// transformers.js pipeline, as a Space with a model does once it listens.
if (process.env.BENCH_MODEL) {
  const [folder, id] = process.env.BENCH_MODEL.split("|");
  const { env, pipeline } = await import("@huggingface/transformers");
  env.allowRemoteModels = false;
  env.localModelPath = folder;
  await pipeline("text-classification", id);
}
