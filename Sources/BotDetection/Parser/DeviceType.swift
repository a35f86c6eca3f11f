/// The kind of device a user agent runs on, with Matomo device-detector's names as raw values.
public enum DeviceType: String, Sendable, Hashable, CaseIterable {
    /// A desktop or laptop computer.
    case desktop
    /// A phone with a touch screen.
    case smartphone
    /// A tablet or e-reader.
    case tablet
    /// A phone with a large screen (Galaxy Note, foldables, …).
    case phablet
    /// A television, set-top box or streaming stick.
    case tv
    /// A games console or handheld.
    case console
    /// A car's infotainment unit.
    case carBrowser = "car browser"
    /// A watch or a VR headset.
    case wearable
    /// A smart display (Portal, interactive flat panels).
    case smartDisplay = "smart display"
    /// A music or media player.
    case portableMediaPlayer = "portable media player"
    /// A camera with a browser.
    case camera
    /// A keypad phone (WAP, J2ME, KaiOS).
    case featurePhone = "feature phone"
    /// A handheld scanner, point-of-sale or other peripheral.
    case peripheral
    /// A smart speaker with a screen (Echo Show, Yandex Station).
    case smartSpeaker = "smart speaker"
}
