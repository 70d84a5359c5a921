"""Support for the read-aloud tests: a stand-in for the browser's speech synthesis."""

# The browser's speech synthesis, replaced before the page's scripts run: one voice; it says nothing and records
# each utterance, which the test ends when it wants (as the end of the spoken text would).
SPEECH_STAND_IN = """
window.__spoken = [];
const synthesis = {
  speaking: false, paused: false,
  getVoices: () => [{ name: "Stand-in", lang: "fr-FR" }],
  speak(utterance) { window.__spoken.push(utterance); this.speaking = true; },
  cancel() { this.speaking = false; }, pause() { this.paused = true; }, resume() { this.paused = false; },
};
Object.defineProperty(window, "speechSynthesis", { value: synthesis, configurable: true });
"""
