import * as sc from "spacecraft";

export default sc.ChatInterface({
  title: "Chatbot",
  description: "Chat with a small language model: its reply streams in as it writes. Stop ends it early.",
  model: sc.pipeline("text-generation", "HuggingFaceTB/SmolLM2-135M-Instruct", { dtype: "q4" }),
  systemPrompt: "You are a friendly, helpful assistant. Answer briefly and clearly.",
  // A low temperature keeps a small model on topic; do_sample makes temperature and top_p count.
  generation: { max_new_tokens: 512, do_sample: true, temperature: 0.3, top_p: 0.9 },
  examples: ["What is the capital of France?", "Write a haiku about the sea."],
  // Each visitor's conversations stay in their browser, listed beside the chat.
  saveHistory: true,
});
