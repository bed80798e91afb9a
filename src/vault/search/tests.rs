use super::*;

fn event(time: f64, code: &str, data: &str) -> Event {
    Event {
        time,
        code: code.into(),
        data: data.into(),
    }
}

#[test]
fn output_is_searchable_text_with_times() {
    let mut ix = Indexer::default();
    ix.event(&event(1.0, "o", "\u{1b}[1;32malice@db\u{1b}[0m:~$ "));
    ix.event(&event(2.0, "i", "cat /etc/pa\u{7f}asswd\r"));
    ix.event(&event(2.1, "o", "cat /etc/passwd\r\nroot:x:0:0:root\r\n"));
    ix.event(&event(30.0, "o", "much later\r\n"));
    let segments = ix.finish();
    let output: Vec<&Segment> = segments.iter().filter(|s| s.kind == "output").collect();
    assert_eq!(output[0].time, 1.0);
    assert_eq!(output[0].text, "alice@db:~$ cat /etc/passwd\nroot:x:0:0:root\n");
    assert_eq!(output[1].time, 30.0);
    let input: Vec<&Segment> = segments.iter().filter(|s| s.kind == "input").collect();
    assert_eq!(input[0].text, "cat /etc/passwd\n");
    assert_eq!(input[0].time, 2.0);
}

#[test]
fn escape_sequences_never_split_words() {
    let mut ix = Indexer::default();
    ix.event(&event(0.0, "o", "sec\u{1b}[31mret\u{1b}[0m\r\n"));
    assert_eq!(ix.finish()[0].text, "secret\n");
}
