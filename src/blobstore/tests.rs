use super::*;
use std::io::{Read, Write};

fn store(dir: &Path, chunk: u32) -> BlobStore {
    store_with(dir, chunk, Compression::Lz4)
}

fn store_with(dir: &Path, chunk: u32, compression: Compression) -> BlobStore {
    BlobStore::open(dir, Arc::new(Keys::for_tests()), chunk, compression, 1).unwrap()
}

fn sample(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 31) ^ (i >> 7)) as u8).collect()
}

fn put(store: &BlobStore, data: &[u8]) -> StoredBlob {
    let mut w = store.writer(store.new_id(), u64::MAX).unwrap();
    for piece in data.chunks(1000) {
        w.write_all(piece).unwrap();
    }
    w.finish().unwrap()
}

#[test]
fn round_trip_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let data = sample(50_000);
    let blob = put(&s, &data);
    assert_eq!(blob.size, 50_000);
    assert_eq!(blob.sha256_hex(), crypto::sha256_hex(&data));
    let reader = Arc::new(s.open_blob(&blob.id).unwrap());
    reader.verify().unwrap();
    let mut back = Vec::new();
    reader.clone().range(0, u64::MAX).read_to_end(&mut back).unwrap();
    assert_eq!(back, data);
    assert_eq!(s.list().unwrap(), vec![blob.id.clone()]);
}

#[test]
fn reading_into_scratch_matches() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let data = sample(20_000);
    let blob = put(&s, &data);
    let reader = s.open_blob(&blob.id).unwrap();
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    for i in 0..reader.chunk_count() {
        reader.read_chunk_into(i, &mut scratch, &mut out).unwrap();
        assert_eq!(out, reader.read_chunk(i).unwrap());
    }
}

#[test]
fn compression_none_stores_chunks_raw() {
    let dir = tempfile::tempdir().unwrap();
    let s = store_with(dir.path(), 4096, Compression::None);
    let data = vec![b'a'; 20_000];
    let blob = put(&s, &data);
    let on_disk = std::fs::metadata(s.path_of(&blob.id)).unwrap().len();
    assert!(on_disk > 20_000, "{on_disk}");
    s.open_blob(&blob.id).unwrap().verify().unwrap();
}

#[test]
fn every_codec_compresses_and_blobs_keep_theirs_when_the_setting_changes() {
    let dir = tempfile::tempdir().unwrap();
    let text: Vec<u8> = (0..5000)
        .flat_map(|i| format!("session {} closed\n", i % 300).into_bytes())
        .collect();
    let mut written = Vec::new();
    for compression in [Compression::Zstd, Compression::Lz4, Compression::None] {
        let s = store_with(dir.path(), 16384, compression);
        let blob = put(&s, &text);
        let on_disk = std::fs::metadata(s.path_of(&blob.id)).unwrap().len();
        written.push((compression, blob.id, on_disk));
    }
    let (_, _, zstd_size) = written[0];
    let (_, _, lz4_size) = written[1];
    let (_, _, raw_size) = written[2];
    assert!(zstd_size < lz4_size && lz4_size * 3 < raw_size, "{written:?}");
    // Whatever the setting is now, each blob opens with the codec it was written with.
    for now in [Compression::Zstd, Compression::Lz4, Compression::None] {
        let s = store_with(dir.path(), 4096, now);
        for (_, id, _) in &written {
            let reader = s.open_blob(id).unwrap();
            reader.verify().unwrap();
            assert_eq!(reader.read_chunk(1).unwrap(), &text[16384..32768]);
        }
    }
}

#[test]
fn a_changed_codec_in_the_header_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let text: Vec<u8> = (0..2000)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    for compression in [Compression::Lz4, Compression::Zstd] {
        let s = store_with(dir.path(), 4096, compression);
        let blob = put(&s, &text);
        let path = s.path_of(&blob.id);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[28] ^= 1; // the codec: lz4 <-> zstd
        std::fs::write(&path, &bytes).unwrap();
        let reader = s.open_blob(&blob.id).unwrap();
        let err = reader.read_chunk(0).unwrap_err();
        assert!(matches!(err, BlobError::Corrupt(_)), "{err}");
        bytes[28] = 7; // no such codec
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(s.open_blob(&blob.id), Err(BlobError::Corrupt(_))));
    }
}

#[test]
fn empty_blob() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let blob = put(&s, &[]);
    let reader = s.open_blob(&blob.id).unwrap();
    assert_eq!(reader.size(), 0);
    reader.verify().unwrap();
}

#[test]
fn range_opens_only_the_chunks_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let data = sample(100 * 4096 + 17);
    let blob = put(&s, &data);
    let reader = Arc::new(s.open_blob(&blob.id).unwrap());
    // Bytes 5000..9000 lie in chunks 1 and 2 of 101.
    let mut range = reader.clone().range(5000, 9000);
    let mut got = Vec::new();
    loop {
        let piece = range.next_piece().unwrap();
        if piece.is_empty() {
            break;
        }
        got.extend_from_slice(&piece);
    }
    assert_eq!(got, &data[5000..9000]);
    assert_eq!(reader.chunks_opened(), 2);
    assert_eq!(reader.chunk_count(), 101);

    let mut tail = Vec::new();
    reader
        .clone()
        .range(data.len() as u64 - 10, u64::MAX)
        .read_to_end(&mut tail)
        .unwrap();
    assert_eq!(tail, &data[data.len() - 10..]);
    assert_eq!(reader.chunks_opened(), 3);
}

#[test]
fn flipped_byte_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let data = sample(20_000);
    let blob = put(&s, &data);
    let path = s.path_of(&blob.id);
    let mut bytes = std::fs::read(&path).unwrap();
    // Inside chunk 1's stored bytes, well past the header.
    let at = format::HEADER_LEN as usize + 5000;
    bytes[at] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let reader = s.open_blob(&blob.id).unwrap();
    let err = reader.verify().unwrap_err();
    assert!(matches!(err, BlobError::Corrupt(_)), "{err}");
    // The chunks before the damage still read.
    assert_eq!(reader.read_chunk(0).unwrap(), &data[..4096]);
}

#[test]
fn altered_index_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let blob = put(&s, &sample(10_000));
    let path = s.path_of(&blob.id);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - format::FOOTER_LEN as usize - 3] ^= 0x80;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(s.open_blob(&blob.id), Err(BlobError::Corrupt(_))));
}

#[test]
fn dropped_writer_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let mut w = s.writer(s.new_id(), u64::MAX).unwrap();
    w.write_all(&sample(30_000)).unwrap();
    drop(w);
    assert!(s.list().unwrap().is_empty());
    assert_eq!(std::fs::read_dir(dir.path().join(TMP_DIR)).unwrap().count(), 0);
}

#[test]
fn limit_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let mut w = s.writer(s.new_id(), 10_000).unwrap();
    w.write_all(&sample(9_000)).unwrap();
    let err = w.write_all(&sample(2_000)).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
}

#[test]
fn incompressible_chunks_are_stored_raw() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    let noise: Vec<u8> = (0..3).flat_map(|_| crypto::random_bytes::<4096>()).collect();
    let blob = put(&s, &noise);
    let reader = s.open_blob(&blob.id).unwrap();
    reader.verify().unwrap();
    assert_eq!(reader.read_chunk(2).unwrap(), &noise[8192..]);
}

#[test]
fn a_range_read_that_failed_serves_nothing_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), 4096);
    // Random bytes are stored as they are, and opened in the buffer they are read into.
    let noise: Vec<u8> = (0..3).flat_map(|_| crypto::random_bytes::<4096>()).collect();
    let blob = put(&s, &noise);
    let path = s.path_of(&blob.id);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[format::HEADER_LEN as usize + 10] ^= 0x01; // inside chunk 0
    std::fs::write(&path, &bytes).unwrap();
    let mut range = Arc::new(s.open_blob(&blob.id).unwrap()).range(0, 100);
    let mut buf = [0u8; 100];
    assert!(range.read(&mut buf).is_err());
    assert!(
        range.read(&mut buf).is_err(),
        "a second read must fail too, not serve leftovers"
    );
}
