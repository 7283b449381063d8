/**
 * Opens the webcam (with the microphone when `audio`) for `<sc-image>` and `<sc-video>`. Gives the
 * stream, or a message for the visitor saying what went wrong and what to do; `instead` ends it
 * ("upload a picture instead").
 */
export async function openCamera({
  audio = false,
  instead,
}: {
  audio?: boolean;
  instead: string;
}): Promise<MediaStream | string> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return `This page cannot use a camera: browsers allow it only on pages served over HTTPS or from localhost. Open the Space at an https:// address, or ${instead}.`;
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ video: true, audio });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : "";
    if (name === "NotAllowedError" || name === "SecurityError")
      return `Camera access was denied. Allow the camera for this site (the camera icon in the address bar, or the browser's site settings) and try again, or ${instead}.`;
    if (name === "NotFoundError" || name === "OverconstrainedError")
      return `No camera${audio ? " or microphone" : ""} was found. Connect one and try again, or ${instead}.`;
    if (name === "NotReadableError" || name === "AbortError")
      return `The camera could not be started; another application may be using it. Close that application and try again, or ${instead}.`;
    const detail = error instanceof Error ? error.message : String(error);
    return `Could not open the webcam: ${detail}. Allow camera access and try again, or ${instead}.`;
  }
}

/** Stops every track of a camera stream (the camera light goes off). */
export function closeCamera(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
