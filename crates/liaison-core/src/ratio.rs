//! Shares shown to people: per mille, rounded to the nearest (2 of 3 is 667‰, shown 66.7%), never
//! truncated (which would show 66.6%).

/// `n / d` in per mille, rounded half up; `None` when there is nothing to divide by.
pub fn permille(n: u64, d: u64) -> Option<u32> {
    let p = n.checked_mul(1000)?.checked_add(d / 2)?.checked_div(d)?;
    u32::try_from(p).ok()
}

#[cfg(test)]
mod tests {
    use super::permille;

    #[test]
    fn rounds_to_the_nearest() {
        assert_eq!(permille(2, 3), Some(667));
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(1, 8), Some(125));
        assert_eq!(permille(1, 2000), Some(1)); // 0.5‰ rounds up
        assert_eq!(permille(1, 2001), Some(0));
        assert_eq!(permille(3, 3), Some(1000));
        assert_eq!(permille(0, 0), None);
    }
}
