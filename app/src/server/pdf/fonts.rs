//! The one Japanese font, loaded once per process. Debian's `fonts-ipaexfont-gothic` (IPAex
//! ゴシック, TrueType, IPA Font License) is installed by `scripts/setup.sh`; `DAIKO_PDF_FONT`
//! names another TrueType/OpenType file. The file is read once and kept for the process's life.
use super::PdfError;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use std::sync::OnceLock;

/// Where Debian puts the IPAex Gothic font, then the alternatives Debian's Japanese font
/// packages register.
pub const CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
];

pub struct JpFont {
    pub path: String,
    face: rustybuzz::Face<'static>,
    pub font: Font,
    upem: f32,
}

static FONT: OnceLock<Result<JpFont, String>> = OnceLock::new();

/// The font, loading it on first use.
pub fn get() -> Result<&'static JpFont, PdfError> {
    FONT.get_or_init(load)
        .as_ref()
        .map_err(|e| PdfError::Font(e.clone()))
}

fn load() -> Result<JpFont, String> {
    let path = std::env::var("DAIKO_PDF_FONT")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            CANDIDATES
                .iter()
                .find(|p| std::path::Path::new(p).exists())
                .map(|p| (*p).to_owned())
        })
        .ok_or_else(|| {
            format!(
                "none of {CANDIDATES:?} exists; install fonts-ipaexfont-gothic or set DAIKO_PDF_FONT"
            )
        })?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    // One font for the whole process: leaking it gives the shaper a 'static face.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let face =
        rustybuzz::Face::from_slice(bytes, 0).ok_or_else(|| format!("{path}: not a font"))?;
    let font =
        Font::new(bytes.into(), 0).ok_or_else(|| format!("{path}: krilla cannot read it"))?;
    let upem = f32::from(face.units_per_em() as u16).max(1.0);
    tracing::info!(%path, "PDF font loaded");
    Ok(JpFont {
        path,
        face,
        font,
        upem,
    })
}

/// Shaped text: glyphs for krilla and the width in ems.
pub struct Shaped {
    pub glyphs: Vec<KrillaGlyph>,
    pub width_em: f32,
}

impl JpFont {
    /// Shapes one line of horizontal text.
    pub fn shape(&self, text: &str) -> Shaped {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let out = rustybuzz::shape(&self.face, &[], buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // The cluster ends where the next different cluster starts.
            let end = infos[i + 1..]
                .iter()
                .find(|n| n.cluster != info.cluster)
                .map_or(text.len(), |n| n.cluster as usize);
            let adv = pos.x_advance as f32 / self.upem;
            width += adv;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                adv,
                pos.x_offset as f32 / self.upem,
                pos.y_offset as f32 / self.upem,
                pos.y_advance as f32 / self.upem,
                start..end.max(start),
                None,
            ));
        }
        Shaped {
            glyphs,
            width_em: width,
        }
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).width_em * size
    }
}
