//! A zstd stream whose whole window stays in one piece of memory.
//!
//! A zstd stream copies its input into a buffer of one window; once the buffer wraps, every
//! block is compressed against two pieces of memory ("extDict"), a slower matcher than one piece
//! ("noDict"). Here the input goes into a large reservation of address space (`mmap` with
//! `MAP_NORESERVE`: only pages written take memory) and zstd reads it in place (its
//! `stableInBuffer` mode), so the window never wraps; pages that fell out of the window are given
//! back (`MADV_DONTNEED`), so memory stays about one window. On the 1M bench records (1,098 MB,
//! level 3, 2^27 window) one thread took 4.0-4.6 CPU s instead of 4.7-5.4 for 71.19 MB instead
//! of 71.71 MB. When the reservation is full the frame ends and a new one starts (zstd readers
//! read concatenated frames as one stream). Where no reservation can be had (or not on Linux),
//! [`Window::new`] says so and the caller streams through zstd's buffer.

use std::ffi::{CStr, c_void};
use std::io::Write;
use std::ptr::NonNull;
use zstd_sys::{
    ZSTD_CCtx, ZSTD_CCtx_reset, ZSTD_CCtx_setParameter, ZSTD_EndDirective, ZSTD_ResetDirective,
    ZSTD_cParameter, ZSTD_compressStream2, ZSTD_createCCtx, ZSTD_freeCCtx, ZSTD_getErrorName,
    ZSTD_inBuffer, ZSTD_isError, ZSTD_outBuffer,
};

/// Address space reserved for one frame: a new frame starts after this many input bytes.
pub(crate) const RESERVED_BYTES: usize = 1 << 36;

/// Pages are given back in steps of this many bytes (a transparent huge page).
const RELEASE_STEP: usize = 2 << 20;

/// Kept beyond the window before pages are given back: zstd may hold up to a block (128 KB)
/// of the input it was handed uncompressed, and matches reach one window back from there.
const RELEASE_MARGIN: usize = 4 << 20;

/// Compressed bytes written to the output at a time.
const OUT_BYTES: usize = 1 << 20;

/// The settings of the stream: (parameter, value) pairs for `ZSTD_CCtx_setParameter`.
pub(crate) type Parameters = [(ZSTD_cParameter, i32)];

pub(crate) struct Window<W: Write> {
    context: NonNull<ZSTD_CCtx>,
    /// The reservation's start; `reserved` bytes long.
    memory: NonNull<u8>,
    reserved: usize,
    /// Bytes of this frame's input in the reservation (zstd's `size`) and those zstd took
    /// (its `pos`, which only zstd moves).
    filled: usize,
    taken: usize,
    /// Pages below this offset were given back.
    released: usize,
    window: usize,
    out: Vec<u8>,
    /// Taken by [`Window::finish`].
    sink: Option<W>,
}

// The context and the reservation belong to this value alone; nothing else points into them.
unsafe impl<W: Write + Send> Send for Window<W> {}

fn zstd_error(code: usize) -> std::io::Error {
    // SAFETY: zstd returns a static, NUL-terminated name for every code.
    let name = unsafe { CStr::from_ptr(ZSTD_getErrorName(code)) };
    std::io::Error::other(format!("zstd: {}", name.to_string_lossy()))
}

fn finished() -> std::io::Error {
    std::io::Error::other("the records stream is finished")
}

fn check(code: usize) -> std::io::Result<usize> {
    // SAFETY: a pure function of the code.
    if unsafe { ZSTD_isError(code) } != 0 {
        return Err(zstd_error(code));
    }
    Ok(code)
}

impl<W: Write> Window<W> {
    /// A stream with `parameters` (one of them the window log, `window_log`) into `sink`, in
    /// a reservation of `reserved` bytes; the sink back where the system gives no reservation.
    pub(crate) fn new(
        sink: W,
        parameters: &Parameters,
        window_log: u32,
        reserved: usize,
    ) -> std::io::Result<Result<Window<W>, W>> {
        let Some(memory) = reservation::reserve(reserved) else {
            return Ok(Err(sink));
        };
        // SAFETY: a new context, freed in Drop.
        let Some(context) = NonNull::new(unsafe { ZSTD_createCCtx() }) else {
            // SAFETY: the reservation just made, used by nothing.
            unsafe { reservation::release(memory, reserved) };
            return Err(std::io::Error::other("zstd: no memory for a context"));
        };
        let window = Window {
            context,
            memory,
            reserved,
            filled: 0,
            taken: 0,
            released: 0,
            window: 1 << window_log,
            out: vec![0; OUT_BYTES],
            sink: Some(sink),
        };
        // The reservation is unmapped by Drop from here on, also on the errors below.
        let stable_input = (ZSTD_cParameter::ZSTD_c_experimentalParam9, 1);
        for &(parameter, value) in parameters.iter().chain([&stable_input]) {
            // SAFETY: a live context; zstd checks the parameter and its value.
            check(unsafe { ZSTD_CCtx_setParameter(window.context.as_ptr(), parameter, value) })?;
        }
        Ok(Ok(window))
    }

    /// Compresses `bytes` after those written before.
    pub(crate) fn write_all(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            if self.filled == self.reserved {
                self.end_frame()?;
                self.start_frame()?;
            }
            let take = bytes.len().min(self.reserved - self.filled);
            let (now, later) = bytes.split_at(take);
            // SAFETY: `filled + take <= reserved`, inside the mapping; zstd reads only below
            // `filled`, so this range is no one else's.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    now.as_ptr(),
                    self.memory.as_ptr().add(self.filled),
                    take,
                );
            }
            self.filled += take;
            self.compress(ZSTD_EndDirective::ZSTD_e_continue)?;
            self.release()?;
            bytes = later;
        }
        Ok(())
    }

    /// Ends the frame and hands back the sink.
    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        self.end_frame()?;
        // Drop frees the context and the reservation.
        self.sink.take().ok_or_else(finished)
    }

    fn end_frame(&mut self) -> std::io::Result<()> {
        while self.compress(ZSTD_EndDirective::ZSTD_e_end)? != 0 {}
        Ok(())
    }

    /// Starts a new frame at the reservation's start; the old input is given back.
    fn start_frame(&mut self) -> std::io::Result<()> {
        // SAFETY: a live context between frames.
        check(unsafe {
            ZSTD_CCtx_reset(
                self.context.as_ptr(),
                ZSTD_ResetDirective::ZSTD_reset_session_only,
            )
        })?;
        self.give_back(0, self.filled)?;
        self.filled = 0;
        self.taken = 0;
        self.released = 0;
        Ok(())
    }

    /// One call of `ZSTD_compressStream2` until it took all input (or, ending, flushed all);
    /// returns what zstd says is left to flush.
    fn compress(&mut self, end: ZSTD_EndDirective) -> std::io::Result<usize> {
        let mut input = ZSTD_inBuffer {
            src: self.memory.as_ptr().cast::<c_void>(),
            size: self.filled,
            pos: self.taken,
        };
        loop {
            let mut output = ZSTD_outBuffer {
                dst: self.out.as_mut_ptr().cast::<c_void>(),
                size: self.out.len(),
                pos: 0,
            };
            // SAFETY: the input is the mapping's first `filled` bytes, unchanged below `taken`
            // since the frame started (what stableInBuffer asks); the output is `out`.
            let left = check(unsafe {
                ZSTD_compressStream2(self.context.as_ptr(), &mut output, &mut input, end)
            })?;
            self.taken = input.pos;
            let sink = self.sink.as_mut().ok_or_else(finished)?;
            sink.write_all(self.out.get(..output.pos).unwrap_or(&[]))?;
            let done = match end {
                ZSTD_EndDirective::ZSTD_e_continue => input.pos == input.size,
                _ => left == 0,
            };
            if done {
                return Ok(left);
            }
        }
    }

    /// Gives back the pages that fell out of the window.
    fn release(&mut self) -> std::io::Result<()> {
        let below =
            self.taken.saturating_sub(self.window + RELEASE_MARGIN) / RELEASE_STEP * RELEASE_STEP;
        if below > self.released {
            self.give_back(self.released, below)?;
            self.released = below;
        }
        Ok(())
    }

    fn give_back(&self, from: usize, to: usize) -> std::io::Result<()> {
        if to <= from {
            return Ok(());
        }
        // SAFETY: a range inside the reservation that zstd no longer reads (out of the window,
        // or of a finished frame).
        unsafe { reservation::give_back(self.memory, from, to - from) }
    }
}

impl<W: Write> Drop for Window<W> {
    fn drop(&mut self) {
        // SAFETY: the context is freed before the memory it reads, each exactly once.
        unsafe {
            ZSTD_freeCCtx(self.context.as_ptr());
            reservation::release(self.memory, self.reserved);
        }
    }
}

/// Address space reserved without memory behind it, on Linux. Elsewhere no reservation is
/// made (macOS's `MADV_DONTNEED` need not free pages), and the records stream as before.
#[cfg(target_os = "linux")]
mod reservation {
    use std::ptr::NonNull;

    pub(super) fn reserve(len: usize) -> Option<NonNull<u8>> {
        // SAFETY: a private anonymous mapping at an address of the kernel's choosing touches
        // no existing memory; MAP_NORESERVE only skips the commit accounting.
        let memory = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if memory == libc::MAP_FAILED {
            return None;
        }
        let memory = NonNull::new(memory.cast::<u8>())?;
        // Huge pages where the system allows them for the asking: 512 times fewer page faults.
        // SAFETY: advice on the mapping just made; failure only means small pages.
        unsafe { libc::madvise(memory.as_ptr().cast(), len, libc::MADV_HUGEPAGE) };
        Some(memory)
    }

    /// Frees the pages of `len` bytes from `offset`; they read as zeros after this.
    ///
    /// # Safety
    /// The range lies inside a reservation of [`reserve`] that nothing reads any more.
    pub(super) unsafe fn give_back(
        memory: NonNull<u8>,
        offset: usize,
        len: usize,
    ) -> std::io::Result<()> {
        // SAFETY: the caller's promise.
        let done =
            unsafe { libc::madvise(memory.as_ptr().add(offset).cast(), len, libc::MADV_DONTNEED) };
        if done != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// # Safety
    /// `memory` and `len` are a reservation of [`reserve`], released once, not used after.
    pub(super) unsafe fn release(memory: NonNull<u8>, len: usize) {
        // SAFETY: the caller's promise.
        unsafe { libc::munmap(memory.as_ptr().cast(), len) };
    }
}

#[cfg(not(target_os = "linux"))]
mod reservation {
    use std::ptr::NonNull;

    pub(super) fn reserve(_len: usize) -> Option<NonNull<u8>> {
        None
    }

    pub(super) unsafe fn give_back(
        _memory: NonNull<u8>,
        _offset: usize,
        _len: usize,
    ) -> std::io::Result<()> {
        Ok(())
    }

    pub(super) unsafe fn release(_memory: NonNull<u8>, _len: usize) {}
}

#[cfg(test)]
mod tests {
    use super::{RELEASE_MARGIN, Window};
    use zstd_sys::ZSTD_cParameter::*;

    /// Repetitive bytes with repeats near and far, as records have.
    fn input(len: usize) -> Vec<u8> {
        let mut state = 7_u64;
        let mut bytes = Vec::with_capacity(len);
        while bytes.len() < len {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let line = format!(
                "{{\"id\":{},\"text\":\"tekst {}\"}}\n",
                state >> 40,
                state % 97
            );
            bytes.extend_from_slice(line.as_bytes());
        }
        bytes.truncate(len);
        bytes
    }

    #[test]
    fn frames_across_a_full_reservation_decode_to_the_input() {
        let reserved = 2 * RELEASE_MARGIN + (1 << 20);
        let bytes = input(3 * reserved + 12_345);
        let parameters = [
            (ZSTD_c_compressionLevel, 1),
            (ZSTD_c_windowLog, 20),
            (ZSTD_c_checksumFlag, 1),
        ];
        let Ok(mut window) = Window::new(Vec::new(), &parameters, 20, reserved).unwrap() else {
            eprintln!("no reservation of {reserved} bytes on this system: nothing to test");
            return;
        };
        for piece in bytes.chunks(300_001) {
            window.write_all(piece).unwrap();
        }
        let compressed = window.finish().unwrap();
        assert!(compressed.len() < bytes.len() / 4, "{}", compressed.len());
        assert_eq!(zstd::stream::decode_all(&compressed[..]).unwrap(), bytes);
    }

    #[test]
    fn an_empty_stream_is_one_empty_frame() {
        let parameters = [(ZSTD_c_compressionLevel, 3)];
        let Ok(window) = Window::new(Vec::new(), &parameters, 20, 1 << 20).unwrap() else {
            return;
        };
        let compressed = window.finish().unwrap();
        assert!(!compressed.is_empty());
        assert!(
            zstd::stream::decode_all(&compressed[..])
                .unwrap()
                .is_empty()
        );
    }
}
