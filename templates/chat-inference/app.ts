import * as sc from "spacecraft";

export default sc.ChatInterface({
  title: "Big chatbot",
  description:
    "Chat with gpt-oss 20B, run by Hugging Face Inference Providers: its reply streams in as it writes. Stop ends it early.",
  // The Space's HF_TOKEN secret pays for it (or `billTo`); pick the provider with `provider`.
  model: sc.inference("chat-completion", "openai/gpt-oss-20b"),
  systemPrompt: "You are a friendly, helpful assistant. Answer briefly and clearly.",
  generation: { max_new_tokens: 1024, temperature: 0.7 },
  examples: ["What is the capital of France?", "Write a haiku about the sea."],
  // Each visitor's conversations stay in their browser, listed beside the chat.
  saveHistory: true,
});
